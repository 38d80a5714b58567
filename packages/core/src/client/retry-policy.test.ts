import { describe, expect, it } from 'vitest';
import {
  defaultRetryPolicy,
  isRetryableStatus,
  parseRetryAfterMs,
  resolveRetryPolicy,
  retryDelayMs,
} from './retry-policy.js';

describe('retry policy', () => {
  it('merges options over the defaults, and switches retries off with false', () => {
    expect(resolveRetryPolicy(undefined)).toEqual(defaultRetryPolicy);
    expect(resolveRetryPolicy({ retries: 5 })).toEqual({ ...defaultRetryPolicy, retries: 5 });
    expect(resolveRetryPolicy(false).retries).toBe(0);
  });

  it('refuses negative, non-finite and out-of-range settings', () => {
    expect(() => resolveRetryPolicy({ retries: -1 })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ baseDelayMs: Number.NaN })).toThrow(RangeError);
    expect(() => resolveRetryPolicy({ jitter: 1.5 })).toThrow(RangeError);
  });

  it('backs off exponentially up to the ceiling, then stops after the last retry', () => {
    const policy = { ...defaultRetryPolicy, retries: 5, baseDelayMs: 100, maxDelayMs: 700, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((retry) => retryDelayMs(policy, retry, undefined))).toEqual([
      100,
      200,
      400,
      700,
      700,
      null,
    ]);
  });

  it('takes up to `jitter` of each backoff at random', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 200, jitter: 0.5 };
    expect(retryDelayMs(policy, 1, undefined, () => 0)).toBe(200);
    expect(retryDelayMs(policy, 1, undefined, () => 0.5)).toBe(150);
    expect(retryDelayMs(policy, 1, undefined, () => 0.999)).toBeCloseTo(100.1);
  });

  it('honours Retry-After up to maxRetryAfterMs, and gives up beyond it', () => {
    const policy = { ...defaultRetryPolicy, maxRetryAfterMs: 5_000 };
    expect(retryDelayMs(policy, 1, 3_000)).toBe(3_000);
    expect(retryDelayMs(policy, 1, 6_000)).toBeNull();
    expect(retryDelayMs(policy, 3, 1_000)).toBeNull();
  });

  it('parses Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfterMs('7', now)).toBe(7_000);
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0);
    expect(parseRetryAfterMs('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfterMs('Tue, 31 Dec 2024 00:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfterMs('soon', now)).toBeUndefined();
    expect(parseRetryAfterMs(null, now)).toBeUndefined();
  });

  it('retries 5xx and 429 only', () => {
    expect([500, 502, 503, 504, 429, 400, 403, 404, 200].map(isRetryableStatus)).toEqual([
      true,
      true,
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
  });
});
