import type { Clock } from '../clock.js';
import { EngineError, EngineErrorCode } from '../errors.js';
import { defaultLeaseMs } from '../ownership/lease.js';
import type { Recipe } from '../recipe/define-recipe.js';

// Why every attempt has a deadline: an engine that stalls (a GC pause, SIGSTOP, a frozen VM) loses
// its leases, and the engine that takes its runs over must know when the stalled one's request can
// no longer land before it asks the world what happened (see docs/engine.md, "What a stalled owner
// can and cannot do").

/** The largest delay a timer can hold (Node fires larger ones at once). */
const maxTimeoutMs = 2_147_483_647;

/** The lease and deadline settings of one engine, checked. */
export interface LeaseTiming {
  leaseMs: number;
  /** The deadline of a step attempt that sets no `timeoutMs`. */
  stepTimeoutMs: number;
  /** How far two engines' clocks may disagree; every wait on another engine's deadline adds it. */
  maxClockSkewMs: number;
}

const isWholeMs = (value: unknown, min: number): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= min && value <= maxTimeoutMs;

/**
 * Checks `leaseMs`, `stepTimeoutMs` and `maxClockSkewMs` and fills in their defaults: a step
 * deadline of a quarter of the lease, a skew margin of 100 ms (a tenth of the lease when that is
 * less). With those, an idempotent attempt is settled (two deadlines and the margin) inside the two
 * thirds of a lease that a renewal every third always leaves, and needs no `started` commit.
 * Throws a RangeError naming the option, as the client does for its own limits.
 */
export function resolveLeaseTiming(options: {
  leaseMs?: number | undefined;
  stepTimeoutMs?: number | undefined;
  maxClockSkewMs?: number | undefined;
}): LeaseTiming {
  const leaseMs = options.leaseMs ?? defaultLeaseMs;
  if (!isWholeMs(leaseMs, 3)) throw new RangeError('leaseMs must be a whole number of milliseconds, at least 3');
  const stepTimeoutMs = options.stepTimeoutMs ?? Math.max(1, Math.floor(leaseMs / 4));
  if (!isWholeMs(stepTimeoutMs, 1) || stepTimeoutMs >= leaseMs)
    throw new RangeError(
      `stepTimeoutMs must be a whole number of milliseconds, at least 1 and below leaseMs (${leaseMs})`,
    );
  const maxClockSkewMs = options.maxClockSkewMs ?? Math.min(100, Math.floor(leaseMs / 10));
  if (!isWholeMs(maxClockSkewMs, 0) || maxClockSkewMs >= leaseMs)
    throw new RangeError(
      `maxClockSkewMs must be a whole number of milliseconds, at least 0 and below leaseMs (${leaseMs})`,
    );
  return { leaseMs, stepTimeoutMs, maxClockSkewMs };
}

/**
 * When everything an attempt with this deadline can cause is certainly over, on any engine's
 * clock: the engine aborts the attempt at its deadline and starts nothing after it; a request
 * already sent is assumed to take effect within `timeoutMs` of leaving, or never; and clocks may
 * disagree by `maxClockSkewMs`.
 */
export function settledByMs(deadlineMs: number, timeoutMs: number, maxClockSkewMs: number): number {
  return deadlineMs + timeoutMs + maxClockSkewMs;
}

/** INVALID_RECIPE when a step's `timeoutMs` is not a whole, positive number of milliseconds a timer can hold. */
export function checkStepTimeouts(recipe: Recipe): void {
  for (const [name, step] of Object.entries(recipe.steps ?? {})) {
    if (step?.timeoutMs !== undefined && !isWholeMs(step.timeoutMs, 1)) {
      throw new EngineError(
        EngineErrorCode.InvalidRecipe,
        `recipe ${recipe.key}: step "${name}" has timeoutMs ${String(step.timeoutMs)}; it must be a whole number of milliseconds from 1 to ${maxTimeoutMs}`,
      );
    }
  }
}

/** The error of an attempt that passed its deadline; retried (and reconciled first) like any failure. */
export function stepTimeoutError(runId: string, stepKey: string, attempt: number, timeoutMs: number): EngineError {
  return new EngineError(
    EngineErrorCode.StepTimeout,
    `step ${stepKey} of run ${runId}: attempt ${attempt} did not finish within its ${timeoutMs} ms deadline (timeoutMs), so it was aborted`,
    { runId },
  );
}

/**
 * Settles like `work`, or rejects with `timeout()` at `deadlineMs`, calling `onTimeout` first (it
 * aborts the attempt's signal, which ends the request itself). One timer per call: only attempts
 * that are really asynchronous come here.
 */
export function settleByDeadline<T>(
  work: PromiseLike<T>,
  clock: Clock,
  deadlineMs: number,
  onTimeout: () => unknown,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = clock.setTimeout(() => reject(onTimeout()), deadlineMs - clock.now());
    work.then(
      (value) => {
        clock.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clock.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
