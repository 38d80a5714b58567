import type { EndpointDefinition, HttpMethod } from '../api/define-endpoint.js';
import type { Dialect } from '../api/dialect.js';
import { getEndpoint, isEndpointId } from '../api/endpoints/index.js';
import { registerClientSecret } from './client-secrets.js';
import { encodeRequest } from './encode-request.js';
import { createErrorFactory } from './error-factory.js';
import type { FornexError } from './fornex-error.js';
import { createGroupedMethods, type GroupedMethods } from './grouped-methods.js';
import { type ClientHooks, type ClientLogger, createCallObserver } from './hooks.js';
import { createRedactor, REDACTED } from './redact.js';
import { interpretResponse } from './response/interpret-response.js';
import { type RetryPolicy, resolveRetryPolicy, retryDelayMs } from './retry-policy.js';
import { createTransport, type WireRequest } from './transport.js';
import type { RequestFunction, RequestOptions } from './types.js';

/** Options of `createFornexClient`. */
export interface FornexClientOptions {
  /** The personal API key. It never appears in anything the client writes. */
  readonly apiKey: string;
  /** Where the API lives (default `https://fornex.com`). */
  readonly baseURL?: string | undefined;
  /** Time limit of each attempt, in milliseconds (default 30 000). */
  readonly timeoutMs?: number | undefined;
  /** Retry policy of idempotent GETs, or `false` for none (see `defaultRetryPolicy`). */
  readonly retry?: Partial<RetryPolicy> | false | undefined;
  /** A fetch implementation (default: Node's global fetch). */
  readonly fetch?: typeof globalThis.fetch | undefined;
  /** Observers of each attempt, retry and failure; their payloads are redacted. */
  readonly hooks?: ClientHooks | undefined;
  /** Receives one redacted line per attempt, retry and failure. */
  readonly logger?: ClientLogger | undefined;
  /** Expect this dialect only (and use its documented paths); by default both are accepted. */
  readonly dialect?: Dialect | undefined;
}

/** A typed client of the 37 documented endpoints: `request(id, params)` and the grouped methods. */
export interface FornexClient extends GroupedMethods {
  /** Calls any endpoint by contract id, with its parameters under the documented names. */
  readonly request: RequestFunction;
}

/** A request as events and errors show it, redacted. */
interface ShownRequest {
  readonly url: string;
  /** The form body of a POST. */
  readonly body: string | undefined;
}

/** The default `baseURL`. */
export const defaultBaseURL = 'https://fornex.com';
const defaultTimeoutMs = 30_000;

function checkTimeout(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  // setTimeout overflows past 2^31 - 1 ms and would fire at once.
  if (!Number.isFinite(value) || value <= 0 || value > 2_147_483_647) {
    throw new RangeError('timeoutMs must be a positive number of milliseconds, at most 2147483647');
  }
  return value;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Creates a client of the Fornex API.
 * @example
 * const client = createFornexClient({ apiKey: process.env.FORNEX_API_KEY! });
 * await client.vps.restart('34-177054');
 * await client.request('vps.logDetails', { order_id: '34-177054', log_id: 1234 });
 */
export function createFornexClient(options: FornexClientOptions): FornexClient {
  const { apiKey, dialect } = options;
  if (typeof apiKey !== 'string' || apiKey.length === 0) throw new TypeError('apiKey must be a non-empty string');
  const baseURL = (options.baseURL ?? defaultBaseURL).replace(/\/+$/, '');
  const timeoutMs = checkTimeout(options.timeoutMs) ?? defaultTimeoutMs;
  const policy = resolveRetryPolicy(options.retry);
  const transport = createTransport(options.fetch);
  const observer = createCallObserver(options.hooks, options.logger);
  const redactor = createRedactor(apiKey);
  const keyField = `apikey=${encodeURIComponent(apiKey)}`;
  const shownKeyField = `apikey=${REDACTED}`;

  const errors = createErrorFactory(redactor);

  async function call(id: string, params: unknown, callOptions?: RequestOptions): Promise<unknown> {
    if (!isEndpointId(id)) return fail(errors.unknownEndpoint(id));
    const endpoint = getEndpoint(id) as EndpointDefinition;
    const encoded = encodeRequest(endpoint, params, dialect);
    if (!encoded.ok) return fail(errors.invalidParams(endpoint, encoded.issues));
    const { method } = endpoint;
    const { path, form } = encoded.request;
    const wire = wireRequest(method, path, form);
    // The redacted URL and body are built only when an event or an error shows them, once a call.
    let shown: ShownRequest | undefined;
    const show = () => (shown ??= shownRequest(method, path, form));
    const limitMs = checkTimeout(callOptions?.timeoutMs) ?? timeoutMs;
    const signal = callOptions?.signal;
    // A GET with a side effect (a second reset makes the first password useless and starts another
    // job) is, like a POST, never retried by the client.
    const idempotent = method === 'GET' && !endpoint.sideEffect;

    for (let attempt = 1; ; attempt++) {
      // Events are built only for an observer: the common call has none, and pays nothing.
      const event = observer && { endpointId: id, method, url: show().url, attempt };
      if (event) {
        const { body } = show();
        await observer?.request(body === undefined ? event : { ...event, body });
      }
      const started = event ? performance.now() : 0;
      const outcome = await transport(wire, limitMs, signal);
      let error: FornexError;
      if (outcome.kind === 'response') {
        if (event) {
          await observer?.response({ ...event, status: outcome.status, durationMs: performance.now() - started });
        }
        const result = interpretResponse(endpoint, outcome, dialect);
        if (result.ok) return result.value;
        error = errors.response({ endpoint, url: show().url, attempt }, outcome, result);
      } else {
        error = errors.noResponse({ endpoint, url: show().url, attempt }, outcome.kind, outcome.error);
      }
      // `error.retryable` says the failure is transient; `idempotent` that the call may be repeated.
      const delayMs = idempotent && error.retryable ? retryDelayMs(policy, attempt, error.retryAfterMs) : null;
      if (delayMs !== null) {
        if (event) await observer?.retry({ ...event, delayMs, error });
        if (await sleep(delayMs, signal)) continue;
        error = errors.noResponse({ endpoint, url: show().url, attempt }, 'aborted', signal?.reason);
      }
      return fail(error);
    }
  }

  /** Every failure of a call ends here: reported once, then thrown. */
  async function fail(error: FornexError): Promise<never> {
    await observer?.error({ error });
    throw error;
  }

  /** The request as sent, key included: never shown to anyone. */
  function wireRequest(method: HttpMethod, path: string, form: string): WireRequest {
    const fields = form === '' ? '' : `${form}&`;
    if (method === 'GET') return { method, url: `${baseURL}${path}?${fields}${keyField}` };
    return { method, url: `${baseURL}${path}`, body: `${fields}${keyField}` };
  }

  /**
   * The request as events and errors show it, from the same parts as the wire one: the key field
   * written as `[REDACTED]`, then any other spelling of the key (a parameter quoting it) scrubbed.
   * The one place the shown URL and body are redacted.
   */
  function shownRequest(method: HttpMethod, path: string, form: string): ShownRequest {
    const fields = form === '' ? '' : `${form}&`;
    if (method === 'GET') return { url: redactor.text(`${baseURL}${path}?${fields}${shownKeyField}`), body: undefined };
    return { url: redactor.text(`${baseURL}${path}`), body: redactor.text(`${fields}${shownKeyField}`) };
  }

  const request = call as RequestFunction;
  const client: FornexClient = { request, ...createGroupedMethods(request) };
  registerClientSecret(client, apiKey);
  return client;
}
