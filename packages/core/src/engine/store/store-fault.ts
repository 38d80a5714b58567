import type { EngineEventBus } from '../engine-events.js';
import { EngineError, EngineErrorCode, isEngineError, serializeError } from '../errors.js';
import type { StoreWrite, WorkflowStore } from './types.js';

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

/** How an engine reports the store's failures, and the writes it may let fail. */
export interface StoreFaults {
  /** Emits `store:write-failed` (one line on stderr when nobody listens): news for the host even when no call waits on it. */
  failed(operation: string, error: unknown, runIds?: string[]): void;
  /** Releases `owner`'s lease of a run, best effort: one that cannot be released expires by itself (false then). */
  releaseLease(runId: string): Promise<boolean>;
}

/** The run ids a batch of writes concerns. */
export function runIdsOf(writes: readonly StoreWrite[]): string[] {
  return writes.map((w) => (w.kind === 'create' ? w.run.id : w.kind === 'commit' ? w.commit.runId : w.runId));
}

/** Creates the fault reporting of an engine. */
export function createStoreFaults(bus: EngineEventBus, store: WorkflowStore, owner: string): StoreFaults {
  const failed = (operation: string, error: unknown, runIds: string[] = []) => {
    const failure = storeWriteFailed(error);
    if (bus.listenerCount('store:write-failed') > 0)
      bus.emit('store:write-failed', { operation, runIds, error: serializeError(failure) });
    else console.error(`fornex-flow: ${operation}: ${failure.message}`);
  };
  return {
    failed,
    async releaseLease(runId) {
      try {
        await store.releaseLease(runId, owner);
        return true;
      } catch (error) {
        failed('release lease', error, [runId]);
        return false;
      }
    },
  };
}
