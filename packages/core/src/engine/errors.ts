/** Every error code the engine raises; `EngineError.code` is one of these. */
export const EngineErrorCode = {
  UnknownRecipe: 'UNKNOWN_RECIPE',
  RecipeVersionNotRegistered: 'RECIPE_VERSION_NOT_REGISTERED',
  InvalidRecipe: 'INVALID_RECIPE',
  InvalidInput: 'INVALID_INPUT',
  RunNotFound: 'RUN_NOT_FOUND',
  RunNotActive: 'RUN_NOT_ACTIVE',
  RunLeased: 'RUN_LEASED',
  LeaseLost: 'LEASE_LOST',
  CorruptRun: 'CORRUPT_RUN',
  UnknownStep: 'UNKNOWN_STEP',
  StepInDoubt: 'STEP_IN_DOUBT',
  StepTimeout: 'STEP_TIMEOUT',
  SecretRequired: 'SECRET_REQUIRED',
  RunFailed: 'RUN_FAILED',
  RunCancelled: 'RUN_CANCELLED',
  EngineClosed: 'ENGINE_CLOSED',
} as const;

/** Union of the engine's error codes. */
export type EngineErrorCode = (typeof EngineErrorCode)[keyof typeof EngineErrorCode];

/** The one error class of the engine: a stable `code`, a message for humans, and the run it concerns. */
export class EngineError extends Error {
  override readonly name = 'EngineError';
  readonly code: EngineErrorCode;
  readonly runId: string | undefined;
  readonly details: unknown;

  constructor(
    code: EngineErrorCode,
    message: string,
    options: { runId?: string; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.runId = options.runId;
    this.details = options.details;
  }
}

/** True when `error` is an EngineError (optionally with the given code). */
export function isEngineError(error: unknown, code?: EngineErrorCode): error is EngineError {
  return error instanceof EngineError && (code === undefined || error.code === code);
}

/** A plain, JSON-safe description of any thrown value, as stored in step rows and history. */
export interface SerializedError {
  name: string;
  message: string;
  code?: string;
  status?: number;
}

/** Turns any thrown value into a SerializedError (no stack: stacks are noise in a journal and may leak paths). */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof Error) {
    const out: SerializedError = { name: error.name, message: error.message };
    const { code, status } = error as { code?: unknown; status?: unknown };
    if (typeof code === 'string') out.code = code;
    if (typeof status === 'number') out.status = status;
    return out;
  }
  return { name: 'Error', message: typeof error === 'string' ? error : (JSON.stringify(error) ?? String(error)) };
}

/** Wraps a low-level failure to read a run's JSON as a clear EngineError. */
export function corruptRun(runId: string, what: string, cause: unknown): EngineError {
  return new EngineError(
    EngineErrorCode.CorruptRun,
    `run ${runId}: its stored ${what} cannot be read (${(cause as Error)?.message ?? cause})`,
    { runId, cause },
  );
}
