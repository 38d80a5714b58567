import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Context } from 'hono';
import { type BodyCallback, readBodyText, readIncomingBody } from './read-body.js';
import { nodeRequest } from './runtime.js';

/**
 * One API request as the handler sees it, whichever server carries it: Node's own (the fast path
 * of `startMockServer`, with no web Request/Response conversion) or any fetch-style host of the
 * Hono app.
 */
export interface ApiRequest {
  readonly method: string;
  /** The path as sent, still percent-encoded. */
  readonly path: string;
  /** The query string without `?` ('' when none). */
  readonly query: string;
  /** A request header by lower-case name. */
  header(name: string): string | undefined;
  /** Reads the body as text, refusing more than `maxBytes` (BodyTooLargeError); calls `done` once. */
  readBody(maxBytes: number, done: BodyCallback): void;
  /** The connection, when there is one to drop. */
  readonly socket: Socket | undefined;
  /** Calls `listener` once when the client goes away; returns a function that unsubscribes. */
  onGone(listener: () => void): () => void;
}

/** What the handler answers; `body` null for none. Written as is by either adapter. */
export interface ApiReply {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | null;
  /** The connection was destroyed instead of answered (a `drop` fault): nothing is written. */
  readonly dropped?: boolean;
}

function splitUrl(url: string): { path: string; query: string } {
  const q = url.indexOf('?');
  return q < 0 ? { path: url, query: '' } : { path: url.slice(0, q), query: url.slice(q + 1) };
}

/** The request of a Node server, read directly. */
export function fromIncoming(incoming: IncomingMessage): ApiRequest {
  let url = incoming.url ?? '/';
  // An absolute-form target (`GET http://host/path`, as sent to a proxy) keeps only its path.
  if (!url.startsWith('/') && url.includes('://')) url = url.slice(url.indexOf('/', url.indexOf('//') + 2)) || '/';
  const { path, query } = splitUrl(url);
  return {
    method: incoming.method ?? 'GET',
    path,
    query,
    header: (name) => {
      const value = incoming.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    },
    readBody: (maxBytes, done) => readIncomingBody(incoming, maxBytes, done),
    socket: incoming.socket,
    onGone(listener) {
      const socket = incoming.socket;
      socket.once('close', listener);
      return () => socket.off('close', listener);
    },
  };
}

/** A request's body as a promise (BodyTooLargeError past `maxBytes`). */
export function bodyText(req: ApiRequest, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    req.readBody(maxBytes, (error, text) => (error ? reject(error) : resolve(text)));
  });
}

/** Writes a reply to a Node response. */
export function writeReply(reply: ApiReply, res: ServerResponse): void {
  if (reply.dropped) return;
  res.writeHead(reply.status, reply.headers as Record<string, string>);
  res.end(reply.body ?? undefined);
}

/** The request behind a Hono context (any host: Node through @hono/node-server, or `app.request`). */
export function fromContext(c: Context): ApiRequest {
  const url = c.req.url;
  // The origin ends at the first '/' after the scheme's '//'.
  const { path, query } = splitUrl(url.slice(url.indexOf('/', url.indexOf('//') + 2)));
  const incoming = nodeRequest(c);
  return {
    method: c.req.method,
    path,
    query,
    header: (name) => c.req.header(name),
    readBody(maxBytes, done) {
      if (incoming) readIncomingBody(incoming, maxBytes, done);
      else
        readBodyText(c.req.raw, maxBytes).then(
          (text) => done(null, text),
          (error: Error) => done(error, ''),
        );
    },
    socket: incoming?.socket,
    onGone(listener) {
      const socket = incoming?.socket;
      if (socket) {
        socket.once('close', listener);
        return () => socket.off('close', listener);
      }
      // Only without a Node request: under @hono/node-server, touching `raw` builds a web Request
      // whose body stream pauses Node's request, and a body being drained would stall.
      const signal = c.req.raw.signal;
      signal.addEventListener('abort', listener, { once: true });
      return () => signal.removeEventListener('abort', listener);
    },
  };
}

/** A reply as a web Response. */
export function toResponse(reply: ApiReply): Response {
  return new Response(reply.body, { status: reply.status, headers: reply.headers });
}
