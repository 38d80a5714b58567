import { type Clock, inBackground } from '../clock.js';

/** Default period of the takeover sweep: a run whose owner died is picked up about a second after its lease expires. */
export const defaultTakeoverIntervalMs = 1000;

/** How one sweep went: `store-failed` when the store could not be read or written (the next sweep waits longer). */
export type SweepResult = 'ok' | 'store-failed';

/** The periodic sweep of an engine. */
export interface TakeoverSweep {
  stop(): void;
}

/**
 * Calls `sweep` every `intervalMs` on `clock`, one at a time. After a sweep that hit a failing
 * store, the period doubles (up to `maxIntervalMs`) so that a full disk is not hammered; the first
 * sweep that goes through brings it back to `intervalMs`. `sweep` must not throw; if it does, the
 * error is treated as a store failure (a clock timeout must never throw).
 */
export function createTakeoverSweep(
  clock: Clock,
  intervalMs: number,
  maxIntervalMs: number,
  sweep: () => Promise<SweepResult>,
): TakeoverSweep {
  let stopped = false;
  let handle: unknown;
  let delayMs = intervalMs;
  const run = async () => {
    handle = undefined;
    if (stopped) return;
    let result: SweepResult;
    try {
      result = await sweep();
    } catch {
      result = 'store-failed';
    }
    delayMs = result === 'ok' ? intervalMs : Math.min(delayMs * 2, Math.max(maxIntervalMs, intervalMs));
    if (!stopped) handle = inBackground(clock.setTimeout(() => void run(), delayMs));
  };
  if (intervalMs > 0) handle = inBackground(clock.setTimeout(() => void run(), intervalMs));
  return {
    stop() {
      stopped = true;
      if (handle !== undefined) clock.clearTimeout(handle);
    },
  };
}
