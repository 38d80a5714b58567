import { isEngineError } from '@fornex-flow/core';
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error the server answers as `{ error: { code, message, details? } }` with its status. */
export class HttpError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** Creates an HttpError. */
export function httpError(status: ContentfulStatusCode, code: string, message: string, details?: unknown): HttpError {
  return new HttpError(status, code, message, details);
}

const statusByEngineCode: Record<string, ContentfulStatusCode> = {
  UNKNOWN_RECIPE: 404,
  RECIPE_VERSION_NOT_REGISTERED: 409,
  INVALID_INPUT: 400,
  RUN_NOT_FOUND: 404,
  RUN_NOT_ACTIVE: 409,
  RUN_LEASED: 409,
  SECRET_UNAVAILABLE: 409,
  CORRUPT_RUN: 409,
};

/** The JSON answer to any error: engine and HTTP errors as they are, anything else as a bare 500 (no stack). */
export function errorResponse(c: Context, error: unknown, log: (line: string) => void): Response {
  if (error instanceof HttpError) return c.json(errorBody(error.code, error.message, error.details), error.status);
  if (isEngineError(error)) {
    const status = statusByEngineCode[error.code] ?? 500;
    return c.json(errorBody(error.code, error.message, error.details), status);
  }
  log(`fornex-flow serve: ${c.req.method} ${c.req.path} failed: ${(error as Error)?.message ?? String(error)}`);
  return c.json(errorBody('INTERNAL', 'the server failed to answer; see its log'), 500);
}

function errorBody(code: string, message: string, details?: unknown) {
  return { error: { code, message, ...(details === undefined ? {} : { details }) } };
}
