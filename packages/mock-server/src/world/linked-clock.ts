import type { MockClock } from './clock.js';

/**
 * A mock clock that follows another time source (a test's virtual clock) instead of real time:
 * one clock then drives both the mock (power delays, job completion) and whoever owns the source.
 * `advance` still adds an offset of the mock's own, and `reset` drops it.
 */
export function createLinkedMockClock(source: () => number): MockClock {
  let offsetMs = 0;
  return {
    now: () => source() + offsetMs,
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError('ms must be a non-negative number');
      offsetMs += ms;
      return source() + offsetMs;
    },
    reset() {
      offsetMs = 0;
    },
  };
}
