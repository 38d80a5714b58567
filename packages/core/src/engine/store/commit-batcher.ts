import { EngineError, EngineErrorCode } from '../errors.js';
import { storeWriteFailed } from './store-fault.js';
import type { CreateRunResult, StoreWrite, StoreWriteResult, WorkflowStore } from './types.js';

/** Hears how a queued write ended; must not throw (the rest of its batch would not hear). */
export interface WriteListener<T> {
  /** The batch holding the write is durable; `result` is what the write returned. */
  written(result: T): void;
  /** The batch failed and was rolled back: nothing of it was written (a STORE_WRITE_FAILED EngineError). */
  failed(error: unknown): void;
}

/** What a write yields: a CreateRunResult for `create`, a boolean (false: lease lost) otherwise. */
export type ResultOf<W extends StoreWrite> = W extends { kind: 'create' } ? CreateRunResult : boolean;

/** Runs store writes in shared transactions (group commit). */
export interface CommitBatcher {
  /** Queues `write`; resolves with its result once the batch holding it is durable. */
  run<W extends StoreWrite>(write: W): Promise<ResultOf<W>>;
  /** Queues `write` and tells `listener` how it ended: `run` without a promise, for the per-step path. */
  submit<W extends StoreWrite>(write: W, listener: WriteListener<ResultOf<W>>): void;
  /**
   * Writes what is queued, waits for the batch in flight, and refuses later writes (ENGINE_CLOSED,
   * without touching the store): the engine calls it before it closes the store, so no write ever
   * reaches a closed store.
   */
  close(): Promise<void>;
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

/**
 * Group commit: the writes queued during one turn of the event loop share one store transaction. A
 * refused write (a lost lease) writes nothing (the store checks the lease first). A transition's
 * effects still start only after the commit that holds it; what is shared is the cost of the
 * commit (the WAL frames of the pages the batch touched), which is what makes 100 concurrent runs
 * cheaper per step than one. With an asynchronous store, one batch is in flight at a time and the
 * next one gathers everything queued meanwhile (the more latency, the larger the batch).
 *
 * @param onFailure hears each failed batch (the engine emits `store:write-failed`); must not throw
 */
export function createCommitBatcher(
  store: WorkflowStore,
  onFailure: (error: unknown, writes: readonly StoreWrite[]) => void = () => {},
): CommitBatcher {
  // Two parallel arrays rather than one object per queued write.
  let writes: StoreWrite[] = [];
  let listeners: WriteListener<StoreWriteResult>[] = [];
  let scheduled = false;
  let inFlight = false;
  let closed = false;
  let idleWaiters: (() => void)[] = [];
  const settleIdle = () => {
    if (inFlight || writes.length > 0) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const fail = (batch: readonly StoreWrite[], heard: readonly WriteListener<StoreWriteResult>[], cause: unknown) => {
    // A write failed past its own checks (a busy, full, read-only or closed database): the shared
    // commit is rolled back, so nothing of the batch was written, and every writer hears of it.
    const error = storeWriteFailed(cause);
    onFailure(error, batch);
    for (const listener of heard) listener.failed(error);
  };
  const deliver = (heard: readonly WriteListener<StoreWriteResult>[], results: StoreWriteResult[]) => {
    for (let i = 0; i < heard.length; i++)
      (heard[i] as WriteListener<StoreWriteResult>).written(results[i] as StoreWriteResult);
  };
  const flush = () => {
    scheduled = false;
    if (inFlight || writes.length === 0) return settleIdle();
    const batch = writes;
    const heard = listeners;
    writes = [];
    listeners = [];
    let results: ReturnType<WorkflowStore['writeBatch']>;
    try {
      results = store.writeBatch(batch);
    } catch (error) {
      fail(batch, heard, error);
      return settleIdle();
    }
    if (!isThenable(results)) {
      deliver(heard, results);
      return settleIdle();
    }
    inFlight = true;
    results.then(
      (done) => {
        inFlight = false;
        deliver(heard, done);
        flush();
      },
      (error: unknown) => {
        inFlight = false;
        fail(batch, heard, error);
        flush();
      },
    );
  };
  const submit = <W extends StoreWrite>(write: W, listener: WriteListener<ResultOf<W>>): void => {
    if (closed) {
      const error = new EngineError(EngineErrorCode.EngineClosed, 'the engine is closed: nothing more is written');
      queueMicrotask(() => listener.failed(error));
      return;
    }
    if (!scheduled && !inFlight) {
      scheduled = true;
      setImmediate(flush);
    }
    writes.push(write);
    listeners.push(listener as WriteListener<StoreWriteResult>);
  };
  return {
    run: <W extends StoreWrite>(write: W) =>
      new Promise<ResultOf<W>>((resolve, reject) => submit(write, { written: resolve, failed: reject })),
    submit,
    close() {
      closed = true;
      const idle = new Promise<void>((resolve) => idleWaiters.push(resolve));
      flush();
      return idle;
    },
  };
}
