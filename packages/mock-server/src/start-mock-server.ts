import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createMockServer, type MockServer, type MockServerOptions } from './create-mock-server.js';
import { createNodeListener } from './server/node-listener.js';

/** Where and how to listen. */
export interface StartMockServerOptions extends MockServerOptions {
  /** Port, 0 for a free one (default 0). */
  port?: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
}

/** A listening mock server. */
export interface RunningMockServer extends MockServer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  readonly url: string;
  readonly port: number;
  /** Stops listening, drops open connections and releases hanging requests. */
  close(): Promise<void>;
}

/**
 * Starts a mock server over HTTP.
 * @example const mock = await startMockServer({ port: 0 }); ...; await mock.close();
 */
export async function startMockServer(options: StartMockServerOptions = {}): Promise<RunningMockServer> {
  const mock = createMockServer(options);
  const host = options.host ?? '127.0.0.1';
  const server = await new Promise<Server>((resolve, reject) => {
    const s = createServer(createNodeListener(mock));
    s.once('listening', () => resolve(s));
    s.once('error', reject);
    s.listen(options.port ?? 0, host);
  });
  // A request Node cannot even parse still gets a JSON error, like everything else.
  server.on('clientError', (_error, socket) => {
    if (!socket.writable) return;
    const body = '{"error": "Malformed HTTP request."}';
    socket.end(
      `HTTP/1.1 400 Bad Request\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  // Keep-alive sockets would hold close() open; tests start and stop many servers.
  server.keepAliveTimeout = 5000;
  const { port } = server.address() as AddressInfo;
  mock.runtime.self.port = port;
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    ...mock,
    url: `http://${shownHost}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        // Released here rather than by the sockets' close events, which come after close() resolves:
        // this way a hung request has finished (and is in the journal) once close() has.
        for (const release of [...mock.runtime.hangs]) release();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
