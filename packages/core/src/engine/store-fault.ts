import { EngineError, EngineErrorCode, isEngineError } from './errors.js';

/** The store's own words for a failure: `SQLITE_FULL: database or disk is full`, or the error's message. */
export function describeStoreFailure(cause: unknown): string {
  const { code, message } = (cause ?? {}) as { code?: unknown; message?: unknown };
  const text = typeof message === 'string' ? message : String(cause);
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

/**
 * A failed store write (full disk, read-only file, I/O error, lost connection) as STORE_WRITE_FAILED:
 * nothing of the write was applied, and the runs it concerned stay as they were last committed.
 * An error that already is STORE_WRITE_FAILED is returned as it is (or re-addressed to `runId`).
 */
export function storeWriteFailed(cause: unknown, runId?: string): EngineError {
  if (isEngineError(cause, EngineErrorCode.StoreWriteFailed)) {
    if (runId === undefined || cause.runId === runId) return cause;
    return new EngineError(EngineErrorCode.StoreWriteFailed, `run ${runId}: ${cause.message}`, {
      runId,
      cause: cause.cause,
      details: cause.details,
    });
  }
  const subject = runId === undefined ? 'the store' : `run ${runId}: the store`;
  const storeCode = (cause as { code?: unknown } | null)?.code;
  return new EngineError(
    EngineErrorCode.StoreWriteFailed,
    `${subject} could not write (${describeStoreFailure(cause)}); nothing of this write was applied`,
    { runId, cause, details: typeof storeCode === 'string' ? { storeCode } : undefined },
  );
}

/** Runs a store write, turning its failure (thrown or rejected) into STORE_WRITE_FAILED. */
export async function storeWrite<T>(write: () => T | Promise<T>, runId?: string): Promise<T> {
  try {
    return await write();
  } catch (error) {
    throw storeWriteFailed(error, runId);
  }
}
