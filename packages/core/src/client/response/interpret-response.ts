import type { EndpointDefinition } from '../../api/define-endpoint.js';
import type { Dialect } from '../../api/dialect.js';
import type { FornexErrorCode, ValidationIssue } from '../fornex-error.js';
import { isRetryableStatus } from '../retry-policy.js';
import type { HttpResponse } from '../transport.js';
import { validateResponse } from './normalize.js';

/** A response turned into a result, or into the facts of an error (not yet redacted). */
export type Interpretation =
  | { readonly ok: true; readonly value: unknown }
  | {
      readonly ok: false;
      readonly code: FornexErrorCode;
      readonly detail: string;
      readonly body: unknown;
      readonly issues?: ValidationIssue[];
    };

const maxBodyChars = 4096;
const notJson = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return notJson;
  }
}

/** The `error` field of an answer like `{"error": "..."}`, if there is one. */
function errorField(data: unknown): string | undefined {
  if (data === null || typeof data !== 'object' || Array.isArray(data) || !('error' in data)) return undefined;
  const value = (data as { error: unknown }).error;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/**
 * Classifies one response: 403 is `auth`; 5xx and 429 are `http` even with an `error` field (they
 * are worth a retry, whatever the body says); otherwise an `error` field is `api` whatever the
 * status (the service answers them with 200); another non-2xx is `http`; a 2xx is validated and
 * normalized.
 */
export function interpretResponse(
  endpoint: EndpointDefinition,
  answer: HttpResponse,
  dialect?: Dialect,
): Interpretation {
  const { status, text } = answer;
  const json = endpoint.responseKind === 'json' || (answer.header('content-type') ?? '').includes('json');
  const data = json ? parseJson(text) : notJson;
  const body = data === notJson ? text.slice(0, maxBodyChars) : data;
  const apiError = errorField(data);
  const because = apiError === undefined ? '' : `: ${apiError}`;

  if (status === 403) return { ok: false, code: 'auth', detail: `access refused (HTTP 403)${because}`, body };
  if (isRetryableStatus(status)) {
    const what = status === 429 ? 'too many requests' : 'server error';
    return { ok: false, code: 'http', detail: `${what} (HTTP ${status})${because}`, body };
  }
  if (apiError !== undefined) {
    return { ok: false, code: 'api', detail: `the API answered an error (HTTP ${status}): ${apiError}`, body };
  }
  if (status < 200 || status > 299) return { ok: false, code: 'http', detail: `unexpected HTTP ${status}`, body };

  if (endpoint.responseKind === 'text' && data === notJson) return validated(endpoint, text, body, dialect);
  if (data === notJson) {
    const issues = [{ path: '(root)', message: 'the body is not valid JSON' }];
    return { ok: false, code: 'validation', detail: 'the response is not valid JSON', body, issues };
  }
  return validated(endpoint, data, body, dialect);
}

function validated(endpoint: EndpointDefinition, data: unknown, body: unknown, dialect?: Dialect): Interpretation {
  const result = validateResponse(endpoint, data, dialect);
  if (result.ok) return result;
  const first = result.issues[0];
  const detail = `the response does not match the contract${first ? ` (${first.path}: ${first.message})` : ''}`;
  return { ok: false, code: 'validation', detail, body, issues: result.issues };
}
