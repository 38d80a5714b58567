// A request the mock refuses before reading its body (413 on a declared length, 405, 404), sent
// with `Connection: close`: the client must always read the clear answer, never a reset.
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { startMock } from './helpers.js';

const MIB = 1024 * 1024;

/**
 * Sends a request with a body of `bodyBytes` over a raw socket, reading the answer only once the
 * whole body is written (as curl does); resolves with what came back, plus the socket error if any.
 */
function send(url: string, head: string, bodyBytes: number): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.pause();
    let received = '';
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
    });
    socket.on('error', (error: NodeJS.ErrnoException) => resolve(`${received}<${error.code}>`));
    socket.on('close', () => resolve(received));
    socket.on('connect', () => {
      socket.write(`${head}Content-Length: ${bodyBytes}\r\nConnection: close\r\n\r\n`);
      const chunk = Buffer.alloc(64 * 1024, 'a');
      let sent = 0;
      const pump = () => {
        while (sent < bodyBytes) {
          const n = Math.min(chunk.length, bodyBytes - sent);
          sent += n;
          if (!socket.write(chunk.subarray(0, n))) {
            socket.once('drain', pump);
            return;
          }
        }
        socket.resume();
      };
      pump();
    });
  });
}

describe('early refusals with Connection: close', () => {
  it('the client reads the 413, 405 and 404 answers every time, never a reset', async () => {
    const mock = await startMock();
    const cases: Array<[string, number, RegExp]> = [
      [
        'POST /api/ssh_keys/add/ HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n',
        32 * MIB,
        /^HTTP\/1\.1 413 /,
      ],
      ['POST /api/vps/status/34-177054/ HTTP/1.1\r\nHost: x\r\n', 8 * MIB, /^HTTP\/1\.1 405 /],
      ['POST /api/nowhere/ HTTP/1.1\r\nHost: x\r\n', 8 * MIB, /^HTTP\/1\.1 404 /],
      ['PUT /__mock/state HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n', 9 * MIB, /^HTTP\/1\.1 413 /],
    ];
    for (const [head, bytes, expected] of cases) {
      for (let i = 0; i < 10; i++) {
        const answer = await send(mock.url, head, bytes);
        expect(answer.slice(0, 300)).toMatch(expected);
        expect(answer).toMatch(/"error"/);
        expect(answer).not.toMatch(/<E[A-Z]+>$/);
      }
    }
  });
});
