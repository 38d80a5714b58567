/** Mock time: real time plus an offset that `POST /__mock/clock/advance` moves forward. */
export interface MockClock {
  /** Milliseconds since the epoch, in mock time. */
  now(): number;
  /** Moves mock time forward by `ms` (never backwards). */
  advance(ms: number): number;
  /** Back to real time. */
  reset(): void;
}

/** Creates a mock clock; `realNow` is injectable for tests of the clock itself. */
export function createMockClock(realNow: () => number = Date.now): MockClock {
  let offsetMs = 0;
  return {
    now: () => realNow() + offsetMs,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('ms must be a non-negative number');
      offsetMs += ms;
      return realNow() + offsetMs;
    },
    reset() {
      offsetMs = 0;
    },
  };
}
