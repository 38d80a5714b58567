import { toPythonJson } from '../py-json/index.js';

const JSON_TYPE = 'application/json';

/** A JSON answer written the way the real service writes it. */
export function pythonJson(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(toPythonJson(body), { status, headers: { 'content-type': JSON_TYPE, ...headers } });
}

/** An `{"error": ...}` answer. */
export function errorJson(message: string, status: number, headers: Record<string, string> = {}): Response {
  return pythonJson({ error: message }, status, headers);
}
