/** Mock time stays before this moment (1 January 9000 UTC): every date the mock writes keeps four digits of year. */
export const MAX_MOCK_TIME_MS = Date.UTC(9000, 0, 1);

/** Thrown by `advance` for a move that would leave the range; the clock is unchanged. */
export class ClockRangeError extends RangeError {
  override readonly name = 'ClockRangeError';
}

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
      if (!Number.isFinite(ms) || ms < 0) throw new ClockRangeError('ms must be a non-negative number');
      if (Date.now() + offsetMs + ms >= MAX_MOCK_TIME_MS)
        throw new ClockRangeError(`the advance would move mock time past ${new Date(MAX_MOCK_TIME_MS).toISOString()}`);
      offsetMs += ms;
      return Date.now() + offsetMs;
    },
    reset() {
      offsetMs = 0;
    },
  };
}
