/** Mock time: real time plus an offset that `POST /__mock/clock/advance` moves forward. */
export interface MockClock {
  /** Milliseconds since the epoch, in mock time. */
  now(): number;
  /** Moves mock time forward by `ms` (never backwards). */
  advance(ms: number): number;
  /** Back to real time. */
  reset(): void;
}

/** Creates a mock clock at real time. */
export function createMockClock(): MockClock {
  let offsetMs = 0;
  return {
    now: () => Date.now() + offsetMs,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('ms must be a non-negative number');
      offsetMs += ms;
      return Date.now() + offsetMs;
    },
    reset() {
      offsetMs = 0;
    },
  };
}
