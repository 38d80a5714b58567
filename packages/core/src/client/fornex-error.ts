import type { z } from 'zod';
import type { HttpMethod } from '../api/define-endpoint.js';
import { isRetryableStatus } from './retry-policy.js';

/** What went wrong, as a string union: branch on `error.code`, never on the message. */
export const FornexErrorCode = {
  /** HTTP 403: the key is missing or wrong, or lacks a right (the protected DNS methods). */
  auth: 'auth',
  /** The service answered `{"error": ...}`, with any HTTP status but 403, 429 and 5xx. */
  api: 'api',
  /** The parameters did not match the contract (nothing was sent), or the response did not. */
  validation: 'validation',
  /** Any other unexpected HTTP status: 5xx and 429 (with an `error` field or not), 404... */
  http: 'http',
  /** The connection failed or broke, or the caller aborted the call. */
  network: 'network',
  /** No complete answer within `timeoutMs`. */
  timeout: 'timeout',
} as const;
/** `auth`, `api`, `validation`, `http`, `network` or `timeout`. */
export type FornexErrorCode = (typeof FornexErrorCode)[keyof typeof FornexErrorCode];

/** One problem found by schema validation, with its path inside the parameters or the body. */
export interface ValidationIssue {
  readonly path: string;
  readonly message: string;
}

/** Schema problems as `ValidationIssue`s (the first 20), each message followed by `suffix` if given. */
export function toValidationIssues(error: z.ZodError, suffix = ''): ValidationIssue[] {
  return error.issues.slice(0, 20).map((issue) => ({
    path: issue.path.length === 0 ? '(root)' : issue.path.map(String).join('.'),
    message: issue.message + suffix,
  }));
}

/** The context every `FornexError` carries; every string in it is already redacted. */
export interface FornexErrorContext {
  readonly code: FornexErrorCode;
  /** Contract id of the endpoint, e.g. `vps.restart`. */
  readonly endpointId: string;
  readonly method: HttpMethod;
  /** The request URL with the key replaced by `[REDACTED]`; absent when nothing was sent. */
  readonly url?: string | undefined;
  /** HTTP status, when a response arrived. */
  readonly status?: number | undefined;
  /** The response body (parsed JSON, or text up to 4 KiB), redacted. */
  readonly body?: unknown;
  /** Schema problems, for `validation` errors. */
  readonly issues?: readonly ValidationIssue[] | undefined;
  /** The delay the server asked for with `Retry-After`, in milliseconds. */
  readonly retryAfterMs?: number | undefined;
  /** How many requests were sent: 0 when the parameters were refused, 1 when not retried. */
  readonly attempts?: number | undefined;
  /** Whether the failure is transient; by default `isTransientFailure(code, status)`. */
  readonly retryable?: boolean | undefined;
  /** The underlying error, already stripped of the key (see `Redactor.error`). */
  readonly cause?: unknown;
}

/**
 * The one classification of transient failures, the client's own retries and `error.retryable`
 * alike: timeouts, network errors, and `http` errors of a 5xx or 429 status. `auth`, `api`,
 * `validation` and other `http` statuses would fail the same way again.
 */
function isTransientFailure(code: FornexErrorCode, status: number | undefined): boolean {
  if (code === 'timeout' || code === 'network') return true;
  return code === 'http' && status !== undefined && isRetryableStatus(status);
}

/**
 * The one error class of the client. Safe to log or serialize: the client builds it only from
 * redacted URLs, bodies and causes.
 * @example if (error instanceof FornexError && error.code === 'auth') rotateKey();
 */
export class FornexError extends Error {
  override readonly name = 'FornexError';
  /** What went wrong; see `FornexErrorCode`. */
  readonly code: FornexErrorCode;
  /** Contract id of the endpoint, e.g. `vps.restart`. */
  readonly endpointId: string;
  /** `GET` or `POST`. */
  readonly method: HttpMethod;
  /** The request URL, key redacted; undefined when nothing was sent. */
  readonly url: string | undefined;
  /** HTTP status, when a response arrived. */
  readonly status: number | undefined;
  /** The response body (parsed JSON, or text up to 4 KiB), redacted. */
  readonly body: unknown;
  /** Schema problems, for `validation` errors. */
  readonly issues: readonly ValidationIssue[] | undefined;
  /** The wait the server asked for with `Retry-After`, in milliseconds. */
  readonly retryAfterMs: number | undefined;
  /** How many requests were sent: 0 when the parameters were refused. */
  readonly attempts: number;
  /**
   * True when another try may succeed (5xx, 429, network, timeout), false when it would fail the
   * same way (auth, api, validation, another 4xx) or the caller aborted. It says nothing of whether
   * the call is safe to repeat: the client retries only idempotent GETs; the engine reads this flag
   * to end a step's retries early.
   */
  readonly retryable: boolean;

  constructor(message: string, context: FornexErrorContext) {
    super(message, context.cause === undefined ? undefined : { cause: context.cause });
    this.code = context.code;
    this.endpointId = context.endpointId;
    this.method = context.method;
    this.url = context.url;
    this.status = context.status;
    this.body = context.body;
    this.issues = context.issues;
    this.retryAfterMs = context.retryAfterMs;
    this.attempts = context.attempts ?? 1;
    this.retryable = context.retryable ?? isTransientFailure(context.code, context.status);
  }

  /** A plain, JSON-safe view: what a log line or a persisted row should hold. */
  toJSON(): Record<string, unknown> {
    return {
      name: this.name,
      code: this.code,
      message: this.message,
      endpointId: this.endpointId,
      method: this.method,
      url: this.url,
      status: this.status,
      body: this.body,
      issues: this.issues,
      retryAfterMs: this.retryAfterMs,
      attempts: this.attempts,
      retryable: this.retryable,
      cause: describeCause(this.cause),
    };
  }
}

function describeCause(cause: unknown): unknown {
  if (!(cause instanceof Error)) return cause;
  const code = (cause as { code?: unknown }).code;
  return {
    name: cause.name,
    message: cause.message,
    ...(code === undefined ? {} : { code }),
    ...(cause.cause === undefined ? {} : { cause: describeCause(cause.cause) }),
  };
}

/** True when `error` is a `FornexError`, optionally of one of the given codes. */
export function isFornexError(error: unknown, ...codes: FornexErrorCode[]): error is FornexError {
  return error instanceof FornexError && (codes.length === 0 || codes.includes(error.code));
}
