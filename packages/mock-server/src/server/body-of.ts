import type { Context } from 'hono';
import { readBodyText, readIncomingText } from './read-body.js';
import { nodeRequest } from './runtime.js';

/** The request body as text, capped: Node's stream when there is one, the web Request otherwise. */
export function bodyOf(c: Context, maxBytes: number): Promise<string> {
  const incoming = nodeRequest(c);
  return incoming ? readIncomingText(incoming, maxBytes) : readBodyText(c.req.raw, maxBytes);
}
