import { createFetch, FetchError } from 'ofetch';

/** One HTTP attempt, key included: never shown to anyone (see `redact.ts`). */
export interface WireRequest {
  readonly method: 'GET' | 'POST';
  readonly url: string;
  /** Form-encoded body of a POST. */
  readonly body?: string | undefined;
}

/** A complete HTTP response, as the transport read it: the one response shape of the client. */
export interface HttpResponse {
  readonly status: number;
  /** The whole body, as text. */
  readonly text: string;
  /** A response header, read on demand: most successes need none. */
  header(name: string): string | null;
}

/** What one attempt gave: a complete response, or why there is none. */
type WireOutcome =
  | ({ readonly kind: 'response' } & HttpResponse)
  | { readonly kind: 'timeout' | 'aborted' | 'network'; readonly error: unknown };

/** Sends one attempt; never throws (failures are outcomes). */
type Transport = (request: WireRequest, timeoutMs: number, signal?: AbortSignal) => Promise<WireOutcome>;

const formHeaders = { 'content-type': 'application/x-www-form-urlencoded' };

/**
 * Creates the transport over ofetch. ofetch's own retry, error and JSON handling are off: the
 * client classifies every status and body itself, and ofetch's errors quote the URL (with the key).
 */
export function createTransport(fetchImpl?: typeof globalThis.fetch): Transport {
  // Late-bound default, so a fetch patched after the client is created is still used.
  const $fetch = createFetch({ fetch: fetchImpl ?? ((input, init) => globalThis.fetch(input, init)) });

  return async (request, timeoutMs, signal) => {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`no response within ${timeoutMs} ms`, 'TimeoutError'));
    }, timeoutMs);
    const onAbort = signal && (() => controller.abort(signal.reason));
    if (signal?.aborted) controller.abort(signal.reason);
    else if (onAbort) signal?.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await $fetch.raw<string, 'text'>(request.url, {
        method: request.method,
        ...(request.body === undefined ? {} : { body: request.body, headers: formHeaders }),
        signal: controller.signal,
        responseType: 'text',
        retry: false,
        ignoreResponseError: true,
      });
      const { headers } = response;
      return {
        kind: 'response',
        status: response.status,
        text: typeof response._data === 'string' ? response._data : '',
        header: (name) => headers.get(name),
      };
    } catch (error) {
      // A FetchError's message quotes the URL; only what it wraps is kept (and redacted later).
      const cause = error instanceof FetchError ? error.cause : error;
      return { kind: timedOut ? 'timeout' : signal?.aborted ? 'aborted' : 'network', error: cause };
    } finally {
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
    }
  };
}
