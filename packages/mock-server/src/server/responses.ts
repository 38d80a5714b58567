import { toPythonJson } from '../py-json/index.js';
import type { ApiReply } from './api-exchange.js';

const JSON_HEADERS: Readonly<Record<string, string>> = { 'content-type': 'application/json' };

/** A JSON answer written the way the real service writes it. */
export function pythonJson(body: unknown, status = 200, headers?: Record<string, string>): ApiReply {
  return { status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS, body: toPythonJson(body) };
}

/** An `{"error": ...}` answer. */
export function errorJson(message: string, status: number, headers?: Record<string, string>): ApiReply {
  return pythonJson({ error: message }, status, headers);
}
