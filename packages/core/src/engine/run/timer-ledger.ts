import { TimerKind } from '../status.js';
import type { TimerRow, TransitionCommit } from '../store/types.js';

interface LiveTimer {
  row: TimerRow;
  /** The order it was set in, for deadlines that tie. */
  seq: number;
}

/**
 * The delayed events of one run that may still fire, as this engine committed them. The scheduler
 * reads due rows in batches and a run handles them one after the other, so a row can be cancelled
 * (its state left) or replaced by the time its turn comes: XState would never deliver it. The
 * ledger answers which timer really fires, and in XState's order: earliest deadline first, and on a
 * tie the one set first (the store orders ties by timer id).
 */
export class TimerLedger {
  private readonly live = new Map<string, LiveTimer>();
  private seq = 0;

  /** The event timers of a restored run (their set order is not stored: ties go by timer id). */
  restore(rows: readonly TimerRow[]): void {
    const events = rows.filter((row) => row.kind === TimerKind.Event);
    events.sort((a, b) => a.deadlineMs - b.deadlineMs || (a.timerId < b.timerId ? -1 : 1));
    for (const row of events) this.live.set(row.timerId, { row, seq: ++this.seq });
  }

  /** Follows a committed transition: the timer it fired, the ones it cancelled, then the ones it set (the store's order). */
  apply(commit: TransitionCommit): void {
    if (commit.firedTimer !== undefined) this.live.delete(commit.firedTimer);
    for (const id of commit.timersCancelled) this.live.delete(id);
    for (const row of commit.timersSet)
      if (row.kind === TimerKind.Event) this.live.set(row.timerId, { row, seq: ++this.seq });
  }

  /**
   * The timer to fire now that the scheduler delivered `delivered`: the earliest live timer due by
   * its deadline (itself, usually), or none when everything due was cancelled meanwhile. Each
   * delivery fires at most one timer, and every due row is delivered, so none is lost.
   */
  next(delivered: TimerRow): TimerRow | undefined {
    let best: LiveTimer | undefined;
    for (const timer of this.live.values()) {
      const { deadlineMs } = timer.row;
      if (deadlineMs > delivered.deadlineMs) continue;
      if (!best || deadlineMs < best.row.deadlineMs || (deadlineMs === best.row.deadlineMs && timer.seq < best.seq))
        best = timer;
    }
    return best?.row;
  }
}
