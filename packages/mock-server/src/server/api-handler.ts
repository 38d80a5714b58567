import type { Dialect, EndpointId } from '@fornex-flow/core';
import { isDialect, MalformedPathError } from '@fornex-flow/core';
import type { z } from 'zod';
import { ApiFailure, isTextReply, type ParamsOf, runHandler } from '../handlers/index.js';
import { type MessageKey, message } from '../render/messages.js';
import type { ApiReply, ApiRequest } from './api-exchange.js';
import { isApiKeyName } from './api-key-name.js';
import { applyFault, DROPPED } from './apply-fault.js';
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

function lookUp(rt: MockRuntime, method: string, path: string): Lookup {
  try {
    return rt.router.find(method, path);
  } catch (error) {
    if (!(error instanceof MalformedPathError)) throw error;
    return { kind: 'malformed', message: error.message };
  }
}

async function dispatch(req: ApiRequest, rt: MockRuntime, match: Lookup, dialect: Dialect): Promise<Outcome> {
  const { world } = rt;
  const { method, query } = req;
  let body = '';
  const fail = (key: MessageKey, status: number, endpointId: string | null = null, args = {}): Outcome => ({
    response: errorJson(message(key, dialect, args), status),
    endpointId,
    body,
  });

  if (match.kind === 'malformed')
    return { response: errorJson(match.message, world.errorStatus), endpointId: null, body };
  if (match.kind === 'none') return { response: errorJson('Not found.', 404), endpointId: null, body };
  if (match.kind === 'method') {
    return {
      response: errorJson(`Method ${method} is not allowed here.`, 405, { allow: match.allow.join(', ') }),
      endpointId: null,
      body,
    };
  }
  const route: Route = match.route;
  const id = route.endpoint.id;

  let fields: Record<string, string>;
  if (method === 'POST') {
    try {
      body = await req.readBody(rt.maxBodyBytes);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        return {
          response: errorJson(`Request body is larger than ${rt.maxBodyBytes} bytes.`, 413),
          endpointId: id,
          body,
        };
      }
      throw error;
    }
    const type = req.header('content-type') ?? '';
    if (type.includes('json')) return fail('formOnly', 403, id);
    fields = Object.fromEntries(new URLSearchParams(body));
    // Decoded, as the query of a GET is: `api%6Bey=...` in the query is a key sent the wrong way too.
    if (fields.apikey === undefined && query !== '' && [...new URLSearchParams(query).keys()].some(isApiKeyName))
      return fail('formOnly', 403, id);
  } else {
    fields = Object.fromEntries(new URLSearchParams(query));
  }

  const auth = world.authenticate(fields.apikey);
  if (!auth) return fail('noApiKey', 403, id);
  if (route.endpoint.protected && !auth.grant.dnsEdit) return fail('noRight', 403, id);

  // An endpoint without parameters has nothing to validate: its handler ignores any sent.
  let pathData: Record<string, unknown> = {};
  if (route.pathSchema) {
    const pathParsed = route.pathSchema.safeParse(match.pathParams);
    if (!pathParsed.success) {
      const text = firstProblem(pathParsed.error, match.pathParams, dialect);
      return { response: errorJson(text, world.errorStatus), endpointId: id, body };
    }
    pathData = pathParsed.data;
  }
  let paramsData: Record<string, unknown> = {};
  if (route.paramsSchema) {
    const { apikey: _key, ...rest } = fields;
    const parsed = route.paramsSchema.safeParse(rest);
    if (!parsed.success) {
      return {
        response: errorJson(firstProblem(parsed.error, rest, dialect), world.errorStatus),
        endpointId: id,
        body,
      };
    }
    paramsData = parsed.data;
  }

  try {
    // The router only holds the contract's endpoints, and these parameters were parsed by this
    // endpoint's own schemas: they have the types its handler expects.
    const result = runHandler(id as EndpointId, {
      world,
      tenant: auth.tenant,
      dialect,
      params: { ...pathData, ...paramsData } as ParamsOf<EndpointId>,
      now: world.clock.now(),
    });
    if (isTextReply(result)) {
      const headers: Record<string, string> = { 'content-type': result.contentType };
      if (result.filename) headers['content-disposition'] = `attachment; filename="${result.filename}"`;
      return { response: { status: 200, headers, body: result.text }, endpointId: id, body };
    }
    return { response: pythonJson(result), endpointId: id, body };
  } catch (error) {
    if (error instanceof ApiFailure) return fail(error.key, world.errorStatus, id, error.args);
    throw error;
  }
}

/**
 * The request with its body read from now on, for a POST that is about to wait (latency, a
 * fault's `delayMs`): a server holds the whole request before it acts, so a client that gives up
 * during the wait does not stop the effect (read later, the body of a closed connection never
 * arrives and the request was silently lost). The endpoint reads the same body, failure included.
 */
function bodyReadAhead(req: ApiRequest, maxBytes: number): ApiRequest {
  const body = req.readBody(maxBytes);
  // Handled where the endpoint reads it; a faulted request never does.
  body.catch(() => {});
  return { ...req, readBody: () => body };
}

/** Serves one request to the documented API: faults, latency, routing, auth, validation, handler. */
export async function handleApiRequest(incoming: ApiRequest, rt: MockRuntime): Promise<ApiReply> {
  const started = performance.now();
  const { method, path, query } = incoming;
  const requested = incoming.header(DIALECT_HEADER);
  const dialect: Dialect = requested !== undefined && isDialect(requested) ? requested : rt.world.dialect;
  const fault = rt.faults.take(method, path);
  const waits = rt.latencyMs > 0 || (fault?.delayMs ?? 0) > 0;
  const req = method === 'POST' && waits ? bodyReadAhead(incoming, rt.maxBodyBytes) : incoming;
  // Routed once: a faulted request's journal entry names its endpoint from the same match.
  const match = lookUp(rt, method, path);
  let outcome: Outcome;
  if (rt.latencyMs > 0) await sleep(rt.latencyMs);
  const injected = fault ? await applyFault(req, rt, fault) : null;
  if (injected) {
    const endpointId = match.kind === 'found' ? match.route.endpoint.id : null;
    outcome = { response: injected, endpointId, body: '' };
  } else {
    outcome = await dispatch(req, rt, match, dialect);
  }
  const keys = rt.world.apiKeys();
  rt.journal.record({
    method,
    // A key can stand in a path too (sent as an order id, say): the journal never shows one.
    path: redactPath(path, keys),
    query: redact(query, keys),
    body: redact(outcome.body, keys),
    status: outcome.response === DROPPED ? null : outcome.response.status,
    dropped: outcome.response === DROPPED,
    endpointId: outcome.endpointId,
    faultId: fault?.id ?? null,
    durationMs: Math.round((performance.now() - started) * 1000) / 1000,
  });
  return outcome.response;
}
