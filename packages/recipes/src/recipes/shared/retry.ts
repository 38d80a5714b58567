import { EngineErrorCode, type StepRetryPolicy } from '@fornex-flow/core';

// Why the recipes set their own policy: the engine retries nothing by default (a retried effect
// must be safe to repeat, and only the recipe knows), and the client retries only plain GETs.
// Every step of a recipe is either idempotent or reconciled before a retry, so a transient failure
// of any of them may be tried again.

/**
 * True for a failure that another attempt may not meet: the client's transient errors (a 5xx or
 * 429 answer, a broken connection, a client timeout: `retryable: true`) and a step that passed its
 * deadline (STEP_TIMEOUT). A refusal (403, an `error` answer), a reply that does not parse, and a
 * recipe's own verdict are final.
 */
export function isTransientFailure(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { retryable, code } = error as { retryable?: unknown; code?: unknown };
  return retryable === true || code === EngineErrorCode.StepTimeout;
}

/** Attempts of a step under `transientRetry`, the first included. */
export const transientAttempts = 5;

/** Transient failures retried: 5 attempts, 2 s apart, doubling up to 30 s (durable timers). */
export const transientRetry: StepRetryPolicy = {
  maxAttempts: transientAttempts,
  initialIntervalMs: 2_000,
  backoffFactor: 2,
  maxIntervalMs: 30_000,
  nonRetryable: (error) => !isTransientFailure(error),
};

/**
 * For an effect that can be neither repeated nor reconciled (`passwd_reset`): retried only when the
 * service answered that it did not take the request (503 Service Unavailable, 429 Too Many
 * Requests). A timeout, a dropped connection or another 5xx leaves the effect in doubt: final.
 */
export const refusedOnlyRetry: StepRetryPolicy = {
  ...transientRetry,
  nonRetryable: (error) => {
    const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
    return !(code === 'http' && (status === 503 || status === 429));
  },
};
