import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import type { MockServer } from '../create-mock-server.js';
import { type ApiReply, fromIncoming, writeReply } from './api-exchange.js';
import { serveApiRequest } from './api-handler.js';
import { drainRequest } from './drain-request.js';

/** Answers a request whose handler failed: a bug in the mock, said plainly, without a stack trace. */
function internalError(req: IncomingMessage, res: ServerResponse, error: unknown): void {
  console.error(`fornex-mock: internal error on ${req.method} ${req.url}: ${(error as Error).message}`);
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(500, { 'content-type': 'application/json' }).end('{"error": "internal mock error"}');
}

/** No `transfer-encoding` and no length but 0: Node completes such a request right after its headers. */
function declaresNoBody(req: IncomingMessage): boolean {
  const { headers } = req;
  return headers['transfer-encoding'] === undefined && (headers['content-length'] ?? '0') === '0';
}

/**
 * The Node request listener of a mock: API requests are served straight from Node's request and
 * response (no web Request/Response built and converted per request, which cost more than the
 * mock's own work), the admin API through the Hono app. Either way, a body the mock left unread
 * is drained before the answer goes out (see drain-request.ts).
 */
export function createNodeListener(mock: MockServer): (req: IncomingMessage, res: ServerResponse) => void {
  const viaHono = getRequestListener(async (request, env: HttpBindings | Http2Bindings) => {
    const response = await mock.app.fetch(request, env);
    if (!env.incoming.complete) await drainRequest(env.incoming);
    return response;
  });
  const serveApi = (req: IncomingMessage, res: ServerResponse) => {
    const fail = (error: unknown) => internalError(req, res, error);
    const write = (reply: ApiReply) => {
      try {
        writeReply(reply, res);
      } catch (error) {
        fail(error);
      }
    };
    // A reply can be ready before Node has parsed the rest of the request (a GET is answered from
    // within the 'request' event). A request that declares no body has nothing left to read and is
    // answered at once, as any Node handler would; otherwise, by the next microtask a body that
    // came with the headers is complete, and only a body still arriving is drained first.
    const reply = (answer: ApiReply) => {
      if (req.complete || declaresNoBody(req)) write(answer);
      else
        queueMicrotask(() => {
          if (req.complete) write(answer);
          else drainRequest(req).then(() => write(answer), fail);
        });
    };
    try {
      serveApiRequest(fromIncoming(req), mock.runtime, reply, fail);
    } catch (error) {
      fail(error);
    }
  };
  return (req, res) => {
    if (req.url?.startsWith('/__mock')) void viaHono(req, res);
    else serveApi(req, res);
  };
}
