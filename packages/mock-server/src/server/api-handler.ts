import type { Dialect, EndpointId } from '@fornex-flow/core';
import { isDialect, MalformedPathError } from '@fornex-flow/core';
import type { z } from 'zod';
import { ApiFailure, isTextReply, type ParamsOf, runHandler } from '../handlers/index.js';
import { type MessageKey, message } from '../render/messages.js';
import type { ApiReply, ApiRequest } from './api-exchange.js';
import { isApiKeyName } from './api-key-name.js';
import { applyFault, DROPPED } from './faults/apply-fault.js';
import type { StoredFault } from './faults/faults.js';
import { parseFormFields } from './form-fields.js';
import { redact, redactPath } from './journal.js';
import { BodyTooLargeError } from './read-body.js';
import { errorJson, pythonJson } from './responses.js';
import type { Route, RouteMatch } from './router.js';
import { type MockRuntime, sleep } from './runtime.js';

/** Header that switches the dialect of one request (handy when one server serves both). */
export const DIALECT_HEADER = 'x-mock-dialect';

function firstProblem(error: z.ZodError, input: Record<string, unknown>, dialect: Dialect): string {
  const issue = error.issues[0];
  const name = String(issue?.path[0] ?? 'parameters');
  if (input[name] === undefined) return message('missingParam', dialect, { name });
  return message('invalidParam', dialect, { name, reason: issue?.message ?? 'invalid' });
}

interface Outcome {
  response: ApiReply;
  endpointId: string | null;
  body: string;
}

/** A request's route, or why its path cannot even be matched. */
type Lookup = RouteMatch | { readonly kind: 'malformed'; readonly message: string };
type Found = Extract<RouteMatch, { kind: 'found' }>;

function lookUp(rt: MockRuntime, method: string, path: string): Lookup {
  try {
    return rt.router.find(method, path);
  } catch (error) {
    if (!(error instanceof MalformedPathError)) throw error;
    return { kind: 'malformed', message: error.message };
  }
}

/** The answer to a request no endpoint takes. */
function unrouted(rt: MockRuntime, match: Exclude<Lookup, Found>, method: string): Outcome {
  if (match.kind === 'malformed')
    return { response: errorJson(match.message, rt.world.errorStatus), endpointId: null, body: '' };
  if (match.kind === 'none') return { response: errorJson('Not found.', 404), endpointId: null, body: '' };
  return {
    response: errorJson(`Method ${method} is not allowed here.`, 405, { allow: match.allow.join(', ') }),
    endpointId: null,
    body: '',
  };
}

/**
 * Answers a routed request, given the text of its body ('' for a GET): form or query, auth,
 * validation, handler. Synchronous: nothing here waits.
 */
function answer(req: ApiRequest, rt: MockRuntime, match: Found, dialect: Dialect, body: string): Outcome {
  const { world } = rt;
  const route: Route = match.route;
  const id = route.endpoint.id;
  const fail = (key: MessageKey, status: number, args = {}): Outcome => ({
    response: errorJson(message(key, dialect, args), status),
    endpointId: id,
    body,
  });

  let fields: Record<string, string>;
  if (req.method === 'POST') {
    const type = req.header('content-type') ?? '';
    if (type.includes('json')) return fail('formOnly', 403);
    fields = parseFormFields(body);
    // Decoded, as the query of a GET is: `api%6Bey=...` in the query is a key sent the wrong way too.
    if (fields.apikey === undefined && req.query !== '' && Object.keys(parseFormFields(req.query)).some(isApiKeyName))
      return fail('formOnly', 403);
  } else {
    fields = parseFormFields(req.query);
  }

  const auth = world.authenticate(fields.apikey);
  if (!auth) return fail('noApiKey', 403);
  if (route.endpoint.protected && !auth.grant.dnsEdit) return fail('noRight', 403);

  // An endpoint without parameters has nothing to validate: its handler ignores any sent.
  let pathData: Record<string, unknown> | null = null;
  if (route.pathSchema) {
    const pathParsed = route.pathSchema.safeParse(match.pathParams);
    if (!pathParsed.success) {
      const text = firstProblem(pathParsed.error, match.pathParams, dialect);
      return { response: errorJson(text, world.errorStatus), endpointId: id, body };
    }
    pathData = pathParsed.data;
  }
  let paramsData: Record<string, unknown> | null = null;
  if (route.paramsSchema) {
    // `fields` as is, `apikey` and all: the schema is not strict, so it drops what it does not name.
    const parsed = route.paramsSchema.safeParse(fields);
    if (!parsed.success) {
      return {
        response: errorJson(firstProblem(parsed.error, fields, dialect), world.errorStatus),
        endpointId: id,
        body,
      };
    }
    paramsData = parsed.data;
  }
  // Both are fresh objects from zod, and no endpoint names a parameter in both places.
  const params = pathData && paramsData ? Object.assign(pathData, paramsData) : (pathData ?? paramsData ?? {});

  try {
    // The router only holds the contract's endpoints, and these parameters were parsed by this
    // endpoint's own schemas: they have the types its handler expects.
    const result = runHandler(id as EndpointId, {
      world,
      tenant: auth.tenant,
      dialect,
      params: params as ParamsOf<EndpointId>,
      now: world.clock.now(),
    });
    if (isTextReply(result)) {
      const headers: Record<string, string> = { 'content-type': result.contentType };
      if (result.filename) headers['content-disposition'] = `attachment; filename="${result.filename}"`;
      return { response: { status: 200, headers, body: result.text }, endpointId: id, body };
    }
    return { response: pythonJson(result), endpointId: id, body };
  } catch (error) {
    if (error instanceof ApiFailure) return fail(error.key, world.errorStatus, error.args);
    throw error;
  }
}

/** Answers a routed POST once its body is read, or refuses one that was too large. */
function answerWithBody(
  req: ApiRequest,
  rt: MockRuntime,
  match: Found,
  dialect: Dialect,
  error: Error | null,
  body: string,
): Outcome {
  if (error === null) return answer(req, rt, match, dialect, body);
  if (!(error instanceof BodyTooLargeError)) throw error;
  return {
    response: errorJson(`Request body is larger than ${rt.maxBodyBytes} bytes.`, 413),
    endpointId: match.route.endpoint.id,
    body: '',
  };
}

/** A body's text, or why it could not be read, once read. */
type BodyRead = Promise<[Error | null, string]>;

function readBodyNow(req: ApiRequest, maxBytes: number): BodyRead {
  return new Promise((resolve) => req.readBody(maxBytes, (error, text) => resolve([error, text])));
}

/**
 * The way of a request with latency or a fault to apply: these wait, so it is async. A POST that
 * is about to wait (latency, a fault's `delayMs`) has its body read from the start: a server holds
 * the whole request before it acts, so a client that gives up during the wait does not stop the
 * effect (read later, the body of a closed connection never arrives and the request was silently
 * lost). The endpoint reads the same body, failure included; a faulted request never does.
 */
async function delayed(
  req: ApiRequest,
  rt: MockRuntime,
  match: Lookup,
  dialect: Dialect,
  fault: StoredFault | null,
): Promise<Outcome> {
  const waits = rt.latencyMs > 0 || (fault?.delayMs ?? 0) > 0;
  const bodyAhead = req.method === 'POST' && waits ? readBodyNow(req, rt.maxBodyBytes) : null;
  if (rt.latencyMs > 0) await sleep(rt.latencyMs);
  const injected = fault ? await applyFault(req, rt, fault) : null;
  if (injected)
    return { response: injected, endpointId: match.kind === 'found' ? match.route.endpoint.id : null, body: '' };
  if (match.kind !== 'found') return unrouted(rt, match, req.method);
  if (req.method !== 'POST') return answer(req, rt, match, dialect, '');
  const [error, body] = await (bodyAhead ?? readBodyNow(req, rt.maxBodyBytes));
  return answerWithBody(req, rt, match, dialect, error, body);
}

function record(rt: MockRuntime, req: ApiRequest, started: number, fault: StoredFault | null, outcome: Outcome): void {
  const keys = rt.world.apiKeys();
  rt.journal.record({
    method: req.method,
    // A key can stand in a path too (sent as an order id, say): the journal never shows one.
    path: redactPath(req.path, keys),
    query: redact(req.query, keys),
    body: redact(outcome.body, keys),
    status: outcome.response === DROPPED ? null : outcome.response.status,
    dropped: outcome.response === DROPPED,
    endpointId: outcome.endpointId,
    faultId: fault?.id ?? null,
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
  });
}

/**
 * Serves one request to the documented API: faults, latency, routing, auth, validation, handler;
 * calls `done` with the reply (or `fail` with a bug in the mock) once. Without latency or a fault
 * nothing waits but a POST's body, and that wait is a callback: the hot path holds no promise.
 */
export function serveApiRequest(
  req: ApiRequest,
  rt: MockRuntime,
  done: (reply: ApiReply) => void,
  fail: (error: unknown) => void,
): void {
  const started = performance.now();
  const { method, path } = req;
  const requested = req.header(DIALECT_HEADER);
  const dialect: Dialect = requested !== undefined && isDialect(requested) ? requested : rt.world.dialect;
  const fault = rt.faults.take(method, path);
  // Routed once: a faulted request's journal entry names its endpoint from the same match.
  const match = lookUp(rt, method, path);
  const finish = (outcome: Outcome) => {
    record(rt, req, started, fault, outcome);
    done(outcome.response);
  };
  if (fault || rt.latencyMs > 0) {
    delayed(req, rt, match, dialect, fault).then(finish).catch(fail);
    return;
  }
  if (match.kind !== 'found') finish(unrouted(rt, match, method));
  else if (method !== 'POST') finish(answer(req, rt, match, dialect, ''));
  else {
    req.readBody(rt.maxBodyBytes, (error, body) => {
      try {
        finish(answerWithBody(req, rt, match, dialect, error, body));
      } catch (failure) {
        fail(failure);
      }
    });
  }
}

/** `serveApiRequest` as a promise (the Hono app's way in). */
export function handleApiRequest(req: ApiRequest, rt: MockRuntime): Promise<ApiReply> {
  return new Promise((resolve, reject) => serveApiRequest(req, rt, resolve, reject));
}
