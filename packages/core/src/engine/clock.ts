/** The engine's only source of time: deadlines, leases and the scheduler all read it, so tests can skip time. */
export interface Clock {
  now(): number;
  setTimeout(callback: () => void, delayMs: number): unknown;
  clearTimeout(handle: unknown): void;
}

// Node refuses delays above 2^31-1 ms (it fires at once); the scheduler re-arms past that.
const maxDelayMs = 2_147_483_647;

/**
 * The real clock. Its timers keep the process alive (a process awaiting a sleeping run must not
 * exit); the engine's housekeeping timers do not (see `inBackground`).
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (callback, delayMs) => setTimeout(callback, Math.min(Math.max(0, delayMs), maxDelayMs)),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

/**
 * Marks a timer from `clock.setTimeout` as housekeeping that must not keep the process alive on its
 * own (Node's `unref`): the takeover sweep and lease renewal run for as long as the engine is open,
 * and a script that forgot `close()` must still end once its runs have nothing left to do. Timers
 * of other clocks (the fake one) are left as they are.
 */
export function inBackground<H>(handle: H): H {
  (handle as { unref?: () => void } | undefined)?.unref?.();
  return handle;
}

/** A clock that moves only when told to: `await clock.advance(ms)` fires every timer due on the way, in order. */
export interface FakeClock extends Clock {
  advance(deltaMs: number): Promise<void>;
  pending(): number;
  /** The earliest armed deadline, or undefined when no timer is armed. */
  nextDeadline(): number | undefined;
}

/** Options of `createFakeClock`. */
export interface FakeClockOptions {
  /**
   * Awaited before the first timer and after each one fires, instead of a few event-loop turns:
   * lets all the work a timer set off (a step's HTTP call, the timer it sets next) finish before
   * time moves on. The recipes' test kit waits there for the steps in flight.
   */
  idle?: () => Promise<void>;
}

interface FakeTimer {
  id: number;
  atMs: number;
  callback: () => void;
}

// Lets the async work a timer started (a commit, a step) settle before the next timer fires.
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Creates a FakeClock starting at `startMs` (e.g. `createFakeClock(Date.parse('2026-01-01'))`). */
export function createFakeClock(startMs = 0, options: FakeClockOptions = {}): FakeClock {
  const { idle } = options;
  let nowMs = startMs;
  let nextId = 1;
  const timers = new Map<number, FakeTimer>();
  const nextDue = (limitMs: number): FakeTimer | undefined => {
    let best: FakeTimer | undefined;
    for (const timer of timers.values()) {
      if (
        timer.atMs <= limitMs &&
        (!best || timer.atMs < best.atMs || (timer.atMs === best.atMs && timer.id < best.id))
      ) {
        best = timer;
      }
    }
    return best;
  };
  return {
    now: () => nowMs,
    setTimeout(callback, delayMs) {
      const id = nextId++;
      timers.set(id, { id, atMs: nowMs + Math.max(0, delayMs), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(deltaMs) {
      if (!Number.isFinite(deltaMs) || deltaMs < 0)
        throw new RangeError(`advance(ms): ms must be a non-negative number, got ${deltaMs}`);
      const targetMs = nowMs + deltaMs;
      await (idle ?? settle)();
      for (let timer = nextDue(targetMs); timer; timer = nextDue(targetMs)) {
        timers.delete(timer.id);
        nowMs = Math.max(nowMs, timer.atMs);
        timer.callback();
        if (idle) await idle();
        else for (let i = 0; i < 5; i++) await settle();
      }
      nowMs = targetMs;
      await (idle ?? settle)();
    },
    pending: () => timers.size,
    nextDeadline: () => nextDue(Number.POSITIVE_INFINITY)?.atMs,
  };
}
