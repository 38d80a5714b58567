import { ExitCode } from './exit-codes.js';

/** An error the CLI reports as one line on stderr, with its exit code (never a stack trace). */
export class CliError extends Error {
  override readonly name = 'CliError';
  constructor(
    message: string,
    readonly exitCode: ExitCode = ExitCode.Failed,
  ) {
    super(message);
  }
}

/** A usage or input error (exit code 2). */
export function usageError(message: string): CliError {
  return new CliError(message, ExitCode.Usage);
}

// Engine error codes that mean "the caller asked for something that does not exist or does not fit".
const usageCodes = new Set(['INVALID_INPUT', 'UNKNOWN_RECIPE', 'RUN_NOT_FOUND', 'RUN_NOT_ACTIVE']);

/** The exit code and the one line an error is shown as. */
export function describeError(error: unknown): { exitCode: ExitCode; message: string } {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // One line: a multi-line message (a zod dump, a nested cause) would read as several errors.
  const line = message.replace(/\s*\n\s*/g, ' ').trim() || 'unknown error';
  if (typeof code === 'string' && usageCodes.has(code)) return { exitCode: ExitCode.Usage, message: line };
  if (code === 'RUN_LEASED') return { exitCode: ExitCode.Waiting, message: line };
  return { exitCode: ExitCode.Failed, message: line };
}
