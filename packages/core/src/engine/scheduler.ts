import type { Clock } from './clock.js';
import type { TimerRow, WorkflowStore } from './store/types.js';

/** Options of `createScheduler`. */
export interface SchedulerOptions {
  store: WorkflowStore;
  clock: Clock;
  owner: string;
  /** Delivers one due timer; the scheduler waits for the batch before looking again. */
  deliver(timer: TimerRow): Promise<void> | undefined;
  batchSize?: number;
}

/** The one timer loop of an engine. */
export interface Scheduler {
  /** A timer is due at `deadlineMs`: fire earlier than currently planned if needed. */
  timerSet(deadlineMs: number): void;
  stop(): void;
}

/**
 * The deadlines live in SQLite, not in memory: the scheduler keeps one clock timeout armed for the
 * earliest deadline of the runs this engine leases, so 10,000 sleeping runs cost one timeout.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, clock, owner } = options;
  const batchSize = options.batchSize ?? 500;
  let handle: unknown;
  let armedAt = Number.POSITIVE_INFINITY;
  let ticking = false;
  let dirty = false;
  let stopped = false;

  const arm = (deadlineMs: number) => {
    if (stopped || deadlineMs >= armedAt) return;
    if (handle !== undefined) clock.clearTimeout(handle);
    armedAt = deadlineMs;
    handle = clock.setTimeout(() => void tick(), deadlineMs - clock.now());
  };

  const tick = async () => {
    handle = undefined;
    armedAt = Number.POSITIVE_INFINITY;
    if (stopped) return;
    if (ticking) {
      dirty = true;
      return;
    }
    ticking = true;
    try {
      for (;;) {
        dirty = false;
        const due = store.dueTimers(owner, clock.now(), batchSize);
        await Promise.all(due.map((timer) => options.deliver(timer)));
        if (stopped || (due.length < batchSize && !dirty)) break;
      }
    } finally {
      ticking = false;
    }
    if (stopped) return;
    const next = store.nextTimerDeadline(owner);
    // Timers that fell due while the batch ran are picked up at once.
    if (next !== undefined) arm(Math.max(next, clock.now()));
  };

  return {
    timerSet(deadlineMs) {
      if (ticking) dirty = true;
      arm(deadlineMs);
    },
    stop() {
      stopped = true;
      if (handle !== undefined) clock.clearTimeout(handle);
    },
  };
}
