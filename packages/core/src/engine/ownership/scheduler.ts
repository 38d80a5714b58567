import type { Clock } from '../clock.js';
import type { TimerRow, WorkflowStore } from '../store/types.js';

/** Options of `createScheduler`. */
export interface SchedulerOptions {
  store: WorkflowStore;
  clock: Clock;
  owner: string;
  /** Delivers one due timer; the scheduler waits for the batch before looking again. */
  deliver(timer: TimerRow): Promise<void> | undefined;
  /** Hears a failed round (the store could not be read or written); the scheduler tries again after `retryDelayMs`. Must not throw. */
  onError(error: unknown): void;
  batchSize?: number;
  /** How long to wait after a failed round (default 1 s). */
  retryDelayMs?: number;
}

/** The one timer loop of an engine. */
export interface Scheduler {
  /** A timer is due at `deadlineMs`: fire earlier than currently planned if needed. */
  timerSet(deadlineMs: number): void;
  stop(): void;
}

/**
 * The deadlines live in the store, not in memory: the scheduler keeps one clock timeout armed for the
 * earliest deadline of the runs this engine leases, so 10,000 sleeping runs cost one timeout.
 */
export function createScheduler(options: SchedulerOptions): Scheduler {
  const { store, clock, owner } = options;
  const batchSize = options.batchSize ?? 500;
  const retryDelayMs = options.retryDelayMs ?? 1000;
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
    let next: number | undefined;
    // Runs from a clock timeout: nothing may escape it (an unhandled rejection would end the host
    // process). A failed round is reported and tried again later; the due timers stay in the store.
    try {
      for (;;) {
        dirty = false;
        const due = await store.dueTimers(owner, clock.now(), batchSize);
        await Promise.all(due.map((timer) => options.deliver(timer)));
        if (stopped || (due.length < batchSize && !dirty)) break;
      }
      if (!stopped) next = await store.nextTimerDeadline(owner);
    } catch (error) {
      ticking = false;
      if (stopped) return;
      options.onError(error);
      arm(clock.now() + retryDelayMs);
      return;
    }
    ticking = false;
    // Timers that fell due while the batch ran are picked up at once.
    if (!stopped && next !== undefined) arm(Math.max(next, clock.now()));
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
