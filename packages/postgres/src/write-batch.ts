import { encodeStepChanges, type StoreWrite, type StoreWriteResult, type TransitionCommit } from '@fornex-flow/core';

// The JSON that `ff_write_batch` reads (see migrations.ts): each commit travels with its step
// changes already encoded as the history row's `steps_json` (the same journal format as SQLite's),
// and without the fields the function does not read.
function commitJson(c: TransitionCommit) {
  return {
    runId: c.runId,
    owner: c.owner,
    atMs: c.atMs,
    status: c.status,
    previousStatus: c.previousStatus ?? null,
    snapshotJson: c.snapshotJson ?? null,
    outputJson: c.outputJson ?? null,
    errorJson: c.errorJson ?? null,
    history: c.history,
    stepsJson: encodeStepChanges(c),
    timersSet: c.timersSet,
    timersCancelled: c.timersCancelled,
    ...(c.firedTimer === undefined ? {} : { firedTimer: c.firedTimer }),
  };
}

/** A group commit as the one JSON parameter of `ff_write_batch`. */
export function encodeWriteBatch(writes: readonly StoreWrite[]): string {
  return JSON.stringify(
    writes.map((w) => {
      if (w.kind === 'started') return w;
      if (w.kind === 'create') return { kind: 'create', run: w.run, commit: commitJson(w.commit) };
      return { kind: 'commit', commit: commitJson(w.commit) };
    }),
  );
}

/** Checks what `ff_write_batch` answered: one result per write, in order. */
export function decodeWriteResults(results: unknown, count: number): StoreWriteResult[] {
  if (!Array.isArray(results) || results.length !== count)
    throw new Error(`ff_write_batch answered ${JSON.stringify(results)?.slice(0, 80)} for ${count} writes`);
  return results as StoreWriteResult[];
}

/**
 * Whether a batch's commit must wait for its WAL flush: unless `asyncCommits` is off, only when
 * every write of the batch is a transition the engine marked `asyncCommit` (see core's
 * mayCommitAsync) may it skip the wait. Safe because PostgreSQL flushes its WAL in order: the next
 * synchronous commit (a `started` marker before a non-idempotent effect, a run's end) makes every
 * earlier asynchronous one durable with it.
 */
export function waitsForFlush(writes: readonly StoreWrite[], asyncCommits: boolean): boolean {
  if (!asyncCommits) return true;
  for (const w of writes) if (w.kind !== 'commit' || w.asyncCommit !== true) return true;
  return false;
}
