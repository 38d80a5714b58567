/** How the client retries idempotent calls (GETs without a side effect). */
export interface RetryPolicy {
  /** Retries after the first attempt; 0 switches retrying off. */
  readonly retries: number;
  /** Backoff before the first retry, doubled for every further one. */
  readonly baseDelayMs: number;
  /** Ceiling of the exponential backoff. */
  readonly maxDelayMs: number;
  /** Share of each backoff taken at random, 0 (none) to 1 (full jitter). */
  readonly jitter: number;
  /** A `Retry-After` longer than this is not waited for: the error is thrown with `retryAfterMs`. */
  readonly maxRetryAfterMs: number;
}

/** The defaults: 2 retries, 250 ms then 500 ms (half of it random), at most 5 s, Retry-After up to 60 s. */
export const defaultRetryPolicy: RetryPolicy = {
  retries: 2,
  baseDelayMs: 250,
  maxDelayMs: 5_000,
  jitter: 0.5,
  maxRetryAfterMs: 60_000,
};

/** A policy from client options: `false` switches retries off, a partial policy overrides the defaults. */
export function resolveRetryPolicy(option: Partial<RetryPolicy> | false | undefined): RetryPolicy {
  if (option === false) return { ...defaultRetryPolicy, retries: 0 };
  const policy = { ...defaultRetryPolicy, ...option };
  for (const [name, value] of Object.entries(policy)) {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`retry.${name} must be a non-negative number`);
  }
  if (policy.jitter > 1) throw new RangeError('retry.jitter must be between 0 and 1');
  return policy;
}

/** True for statuses worth another try of an idempotent call: 5xx and 429 (Too Many Requests). */
export function isRetryableStatus(status: number): boolean {
  return status >= 500 || status === 429;
}

/**
 * The wait before retry number `retry` (1-based), or null when the policy says stop. A server's
 * `Retry-After` replaces the backoff, unless it is longer than `maxRetryAfterMs`.
 * @example retryDelayMs(defaultRetryPolicy, 1, undefined, () => 0.5) // 187.5
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retry: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | null {
  if (retry > policy.retries) return null;
  if (retryAfterMs !== undefined) return retryAfterMs <= policy.maxRetryAfterMs ? retryAfterMs : null;
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return backoff * (1 - policy.jitter * random());
}

/** Parses a `Retry-After` header (seconds, or an HTTP date) into milliseconds from `nowMs`. */
export function parseRetryAfterMs(header: string | null | undefined, nowMs = Date.now()): number | undefined {
  if (header == null) return undefined;
  const trimmed = header.trim();
  if (/^[0-9]+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}
