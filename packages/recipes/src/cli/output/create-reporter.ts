import type { ProgressHint } from '../follow/progress-hints.js';
import type { Reporter } from './feed.js';
import type { CliIo } from './io.js';

/** How output looks: live on a terminal, plain lines when piped, NDJSON with --json. */
export type OutputMode = 'live' | 'plain' | 'json';

/** The mode for these streams and flags. */
export function outputModeOf(io: CliIo, json: boolean | undefined): OutputMode {
  if (json) return 'json';
  // A terminal of zero rows (a pty nobody sized) could show no live block at all.
  const sized = io.stdout.rows === undefined || io.stdout.rows > 0;
  return io.stdout.isTTY && sized && io.env.TERM !== 'dumb' && !io.env.CI ? 'live' : 'plain';
}

/** A reporter for the mode (the live one loads its terminal libraries only when used). */
export async function createReporter(
  io: CliIo,
  mode: OutputMode,
  hints: Readonly<Record<string, ProgressHint>> = {},
): Promise<Reporter> {
  if (mode === 'json') return (await import('./ndjson-reporter.js')).createNdjsonReporter(io);
  if (mode === 'plain') return (await import('./plain-reporter.js')).createPlainReporter(io, hints);
  return (await import('./live-reporter.js')).createLiveReporter(io, hints);
}
