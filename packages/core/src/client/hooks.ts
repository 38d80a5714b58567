import type { HttpMethod } from '../api/define-endpoint.js';
import type { FornexError } from './fornex-error.js';

/** What every hook payload says about the call; `url` and `body` are redacted. */
export interface CallEvent {
  readonly endpointId: string;
  readonly method: HttpMethod;
  /** Full URL, the key replaced by `[REDACTED]`. */
  readonly url: string;
  /** 1 for the first attempt, 2 for the first retry... */
  readonly attempt: number;
}

/** Before each attempt is sent. */
export interface RequestEvent extends CallEvent {
  /** The form body of a POST, key redacted. */
  readonly body?: string | undefined;
}

/** After each attempt that got an HTTP response, whatever its status. */
export interface ResponseEvent extends CallEvent {
  readonly status: number;
  readonly durationMs: number;
}

/** Before waiting for a retry. */
export interface RetryEvent extends CallEvent {
  readonly delayMs: number;
  /** Why the attempt failed. */
  readonly error: FornexError;
}

/** When a call fails for good (after any retries). */
export interface ErrorEvent {
  readonly error: FornexError;
}

/** Observers of the client's calls; awaited in order, and an exception thrown by one fails the call. */
export interface ClientHooks {
  /** Before each attempt is sent. */
  onRequest?(event: RequestEvent): void | Promise<void>;
  /** After each attempt that got a response, whatever its status. */
  onResponse?(event: ResponseEvent): void | Promise<void>;
  /** Before the wait for a retry. */
  onRetry?(event: RetryEvent): void | Promise<void>;
  /** When a call fails for good, including parameters refused before sending. */
  onError?(event: ErrorEvent): void | Promise<void>;
}

/** A sink for one log line per attempt, retry and failure (e.g. `console.debug`); lines are redacted. */
export type ClientLogger = (line: string) => void;

/** Hooks and logger behind one face, so the call path has one place to report to. */
interface CallObserver {
  request(event: RequestEvent): void | Promise<void>;
  response(event: ResponseEvent): void | Promise<void>;
  retry(event: RetryEvent): void | Promise<void>;
  error(event: ErrorEvent): void | Promise<void>;
}

const prefix = (event: CallEvent) => `fornex ${event.endpointId} ${event.method} ${event.url}`;

/**
 * Joins hooks and a logger; every string it receives is already redacted by the client. Without
 * either, there is nothing to observe: undefined, so the call path skips building events.
 */
export function createCallObserver(hooks?: ClientHooks, logger?: ClientLogger): CallObserver | undefined {
  if (!logger && !hooks?.onRequest && !hooks?.onResponse && !hooks?.onRetry && !hooks?.onError) return undefined;
  return {
    request: (event) => hooks?.onRequest?.(event),
    response(event) {
      logger?.(`${prefix(event)} -> ${event.status} in ${Math.round(event.durationMs)} ms (attempt ${event.attempt})`);
      return hooks?.onResponse?.(event);
    },
    retry(event) {
      logger?.(`${prefix(event)} -> ${event.error.code}; retry in ${Math.round(event.delayMs)} ms`);
      return hooks?.onRetry?.(event);
    },
    error(event) {
      logger?.(`fornex ${event.error.endpointId} failed: [${event.error.code}] ${event.error.message}`);
      return hooks?.onError?.(event);
    },
  };
}
