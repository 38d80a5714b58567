import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener, type Http2Bindings, type HttpBindings } from '@hono/node-server';
import type { MockServer } from '../create-mock-server.js';
import { fromIncoming, writeReply } from './api-exchange.js';
import { handleApiRequest } from './api-handler.js';
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
  const serveApi = async (req: IncomingMessage, res: ServerResponse) => {
    try {
      const reply = await handleApiRequest(fromIncoming(req), mock.runtime);
      if (!req.complete) await drainRequest(req);
      writeReply(reply, res);
    } catch (error) {
      internalError(req, res, error);
    }
  };
  return (req, res) => {
    if (req.url?.startsWith('/__mock')) void viaHono(req, res);
    else void serveApi(req, res);
  };
}
