import type { EndpointDefinition } from '../api/define-endpoint.js';
import { FornexError, type FornexErrorContext, type ValidationIssue } from './fornex-error.js';
import type { Redactor } from './redact.js';
import type { Interpretation } from './response/interpret-response.js';
import { isRetryableStatus, parseRetryAfterMs } from './retry-policy.js';
import type { HttpResponse } from './transport.js';

/** Where an error happened: the endpoint, the redacted URL and the attempt number. */
interface CallSite {
  readonly endpoint: EndpointDefinition;
  /** The URL as the client shows it, already redacted (once, by the client). */
  readonly url: string;
  readonly attempt: number;
}

/** Builds every `FornexError` of one client; the only place its errors are made, and redacted. */
interface ErrorFactory {
  /** The parameters did not match the contract: nothing was sent. */
  invalidParams(endpoint: EndpointDefinition, issues: ValidationIssue[]): FornexError;
  /** An id that is not in the contract (from untyped callers). */
  unknownEndpoint(id: unknown): FornexError;
  /** A response that is not the endpoint's success. */
  response(site: CallSite, answer: HttpResponse, failure: Extract<Interpretation, { ok: false }>): FornexError;
  /** No response: timed out, aborted by the caller, or a network failure (with its cause). */
  noResponse(site: CallSite, kind: 'timeout' | 'aborted' | 'network', cause: unknown): FornexError;
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

/**
 * Creates the error factory of a client; `redactor` removes its key from every part the factory
 * gets unredacted: message, body, cause. The URL (and the `[GET url]` the message ends with)
 * arrive redacted.
 */
export function createErrorFactory(redactor: Redactor): ErrorFactory {
  const make = (message: string, context: FornexErrorContext, where = ''): FornexError =>
    new FornexError(redactor.text(message) + where, {
      ...context,
      body: redactor.value(context.body),
      cause: context.cause === undefined ? undefined : redactor.error(context.cause),
    });
  const at = ({ endpoint, url, attempt }: CallSite) => ({
    endpointId: endpoint.id,
    method: endpoint.method,
    url,
    attempts: attempt,
    where: ` [${endpoint.method} ${url}]`,
  });

  return {
    invalidParams(endpoint, issues) {
      const first = issues[0];
      const detail = first ? ` (${first.path}: ${first.message})` : '';
      return make(`${endpoint.id}: invalid parameters${detail}; nothing was sent`, {
        code: 'validation',
        endpointId: endpoint.id,
        method: endpoint.method,
        issues,
        attempts: 0,
      });
    },
    unknownEndpoint(id) {
      const context = { code: 'validation', endpointId: String(id), method: 'GET', attempts: 0 } as const;
      return make(`unknown endpoint id: ${String(id)}`, context);
    },
    response(site, answer, { code, detail, body, issues }) {
      const { where, ...context } = at(site);
      const retryAfterMs = isRetryableStatus(answer.status)
        ? parseRetryAfterMs(answer.header('retry-after'))
        : undefined;
      return make(
        `${context.endpointId}: ${detail}`,
        { ...context, code, status: answer.status, body, issues, retryAfterMs },
        where,
      );
    },
    noResponse(site, kind, cause) {
      const { where, ...context } = at(site);
      const { endpointId } = context;
      if (kind === 'timeout') {
        return make(`${endpointId}: no response within the time limit`, { ...context, code: 'timeout' }, where);
      }
      if (kind === 'aborted') {
        // The caller's decision, not a transient failure: nobody should try again behind its back.
        const aborted = { ...context, code: 'network', cause, retryable: false } as const;
        return make(`${endpointId}: aborted by the caller`, aborted, where);
      }
      return make(`${endpointId}: network error: ${describe(cause)}`, { ...context, code: 'network', cause }, where);
    },
  };
}
