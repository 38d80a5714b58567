/** How a failing step is tried again. Every field is optional; see `defaultStepRetryPolicy`. */
export interface StepRetryPolicy {
  /** Delay before the second attempt. */
  initialIntervalMs?: number;
  /** Each further delay is the previous one times this. */
  backoffFactor?: number;
  /** Ceiling of any one delay. */
  maxIntervalMs?: number;
  /** Attempts in all, the first included; 1 means never retry. */
  maxAttempts?: number;
  /** Errors never retried: codes or names to match, or a predicate. 4xx-like errors (a `status` 400-499, unless `retryable: true`) and `retryable: false` ones are final anyway. */
  nonRetryable?: readonly string[] | ((error: unknown) => boolean);
}

/** A StepRetryPolicy with every field filled in. */
export type ResolvedStepRetryPolicy = Required<StepRetryPolicy>;

/** No retries unless a step asks: a retried effect must be safe to repeat, and only the recipe knows that. */
export const defaultStepRetryPolicy: ResolvedStepRetryPolicy = {
  initialIntervalMs: 1000,
  backoffFactor: 2,
  maxIntervalMs: 60_000,
  maxAttempts: 1,
  nonRetryable: [],
};

/** Fills in the defaults of a step's policy. */
export function resolveStepRetryPolicy(policy: StepRetryPolicy | undefined): ResolvedStepRetryPolicy {
  return { ...defaultStepRetryPolicy, ...policy };
}

/** Delay before attempt `nextAttempt` (2 for the first retry): exponential, capped, no jitter so replays agree. */
export function retryDelayMs(policy: ResolvedStepRetryPolicy, nextAttempt: number): number {
  const raw = policy.initialIntervalMs * policy.backoffFactor ** Math.max(0, nextAttempt - 2);
  return Math.min(policy.maxIntervalMs, Math.round(raw));
}

/**
 * True when an error is worth another attempt: not marked final (`retryable: false`), not a 4xx
 * unless marked transient (`retryable: true`: a 429), not listed as non-retryable.
 */
export function isRetryableError(policy: ResolvedStepRetryPolicy, error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return true;
  const { retryable, status, code, name } = error as {
    retryable?: unknown;
    status?: unknown;
    code?: unknown;
    name?: unknown;
  };
  if (retryable === false) return false;
  if (retryable !== true && typeof status === 'number' && status >= 400 && status < 500) return false;
  const rule = policy.nonRetryable;
  if (typeof rule === 'function') return !rule(error);
  return !rule.some((entry) => entry === code || entry === name);
}

/** Decides what follows a failed attempt: another attempt after `delayMs`, or the final failure. */
export function nextRetry(
  policy: ResolvedStepRetryPolicy,
  attempt: number,
  error: unknown,
): { retry: true; delayMs: number } | { retry: false } {
  if (attempt >= policy.maxAttempts || !isRetryableError(policy, error)) return { retry: false };
  return { retry: true, delayMs: retryDelayMs(policy, attempt + 1) };
}
