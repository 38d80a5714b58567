/** Every error code the engine raises; `EngineError.code` is one of these. */
export const EngineErrorCode = {
  UnknownRecipe: 'UNKNOWN_RECIPE',
  RecipeVersionNotRegistered: 'RECIPE_VERSION_NOT_REGISTERED',
  InvalidRecipe: 'INVALID_RECIPE',
  InvalidInput: 'INVALID_INPUT',
  /** An option of `createEngine` is unusable (a `secretKey` that is not 32 bytes). */
  InvalidOptions: 'INVALID_OPTIONS',
  RunNotFound: 'RUN_NOT_FOUND',
  RunNotActive: 'RUN_NOT_ACTIVE',
  RunLeased: 'RUN_LEASED',
  LeaseLost: 'LEASE_LOST',
  CorruptRun: 'CORRUPT_RUN',
  UnknownStep: 'UNKNOWN_STEP',
  StepInDoubt: 'STEP_IN_DOUBT',
  StepTimeout: 'STEP_TIMEOUT',
  /** Resuming needs a secret this engine does not have (no `secretKey`, another key, a secret input not supplied). */
  SecretUnavailable: 'SECRET_UNAVAILABLE',
  RunFailed: 'RUN_FAILED',
  RunCancelled: 'RUN_CANCELLED',
  EngineClosed: 'ENGINE_CLOSED',
  StoreWriteFailed: 'STORE_WRITE_FAILED',
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

/**
 * A plain, JSON-safe description of any thrown value, as stored in step rows and history and shown
 * in `run:failed`, `engine.get(runId).error` and the `details` of a RUN_FAILED error.
 */
export interface SerializedError {
  /** The error's class name (`FornexError`, `EngineError`, `TypeError`...). */
  name: string;
  message: string;
  /** Its own code: a `FornexErrorCode` (`auth`, `api`...), an `EngineErrorCode`, a Node code (`ECONNRESET`). */
  code?: string;
  /** The HTTP status, when a response arrived. */
  status?: number;
  /** The contract id of the endpoint a `FornexError` concerns (`vps.restart`). */
  endpointId?: string;
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  status?: unknown;
  endpointId?: unknown;
}

// An Error, or a plain object shaped like one: a SerializedError that went through the machine
// (the `error` of an `xstate.error.actor` event becomes the snapshot's error as is).
const isErrorLike = (error: unknown): error is ErrorLike =>
  error instanceof Error ||
  (typeof error === 'object' && error !== null && typeof (error as ErrorLike).message === 'string');

/** Turns any thrown value into a SerializedError (no stack: stacks are noise in a journal and may leak paths). */
export function serializeError(error: unknown): SerializedError {
  if (isErrorLike(error)) {
    const { name, message, code, status, endpointId } = error;
    const out: SerializedError = { name: typeof name === 'string' && name ? name : 'Error', message: String(message) };
    if (typeof code === 'string' || (typeof code === 'number' && Number.isFinite(code))) out.code = String(code);
    if (typeof status === 'number') out.status = status;
    if (typeof endpointId === 'string') out.endpointId = endpointId;
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
