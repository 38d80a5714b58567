import type { IncomingMessage } from 'node:http';

/** The largest request body the mock reads, unless `maxBodyBytes` says otherwise. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The largest world `PUT /__mock/state` reads, unless `maxStateBytes` says otherwise. */
export const MAX_STATE_BYTES = 8 * MAX_BODY_BYTES;

/** Thrown when a body is larger than the cap. */
export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

/**
 * Reads a request body as UTF-8 text, refusing more than `maxBytes`. Invalid UTF-8 becomes
 * U+FFFD rather than an exception: bad encoding is the client's problem, never a 500.
 */
export async function readBodyText(request: Request, maxBytes: number): Promise<string> {
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBytes) throw new BodyTooLargeError();
  if (!request.body) return '';
  // With a declared length within the cap, the plain path is the fast one.
  if (declared !== null) return request.text();
  const reader = request.body.getReader();
  const decoder = new TextDecoder();
  let total = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => {});
      throw new BodyTooLargeError();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** Called once with a body's text, or with why it could not be read (BodyTooLargeError, a stream error). */
export type BodyCallback = (error: Error | null, text: string) => void;

/**
 * Reads a body straight from Node's request stream, refusing more than `maxBytes`, and calls `done`
 * once. Under @hono/node-server this skips the web-stream conversion that `Request.text()` pays
 * for; on the mock's own Node listener, a callback rather than a promise keeps an API request's
 * path free of promise hops (see docs/internals/mock-speed.md).
 */
export function readIncomingBody(incoming: IncomingMessage, maxBytes: number, done: BodyCallback): void {
  const declared = incoming.headers['content-length'];
  if (declared !== undefined && Number(declared) > maxBytes) {
    done(new BodyTooLargeError(), '');
    return;
  }
  // A form body nearly always comes in the packet that carries the headers, and Node parses that
  // packet whole before the next tick: the body is then waiting in the stream's buffer, complete,
  // and is taken in one read, without switching the stream to flowing mode and waiting for its
  // 'data' and 'end' events. Anything else (a body still arriving, a stream someone else reads) is
  // read from its events.
  process.nextTick(() => {
    const untouched = incoming.readableFlowing === null && incoming.listenerCount('data') === 0;
    if (!incoming.complete || incoming.destroyed || !untouched) {
      readFromEvents(incoming, maxBytes, done);
    } else if (incoming.readableLength > maxBytes) {
      incoming.resume();
      done(new BodyTooLargeError(), '');
    } else {
      const buffered = incoming.read() as Buffer | null;
      done(null, buffered ? buffered.toString('utf8') : '');
    }
  });
}

function readFromEvents(incoming: IncomingMessage, maxBytes: number, done: BodyCallback): void {
  let first: Buffer | null = null;
  let more: Buffer[] | null = null;
  let total = 0;
  let settled = false;
  const settle = (error: Error | null, text: string) => {
    if (settled) return;
    settled = true;
    done(error, text);
  };
  incoming.on('data', (chunk: Buffer) => {
    total += chunk.length;
    if (total > maxBytes) {
      incoming.removeAllListeners('data');
      incoming.resume();
      settle(new BodyTooLargeError(), '');
    } else if (first === null) first = chunk;
    else if (more === null) more = [first, chunk];
    else more.push(chunk);
  });
  incoming.once('end', () => {
    // One chunk is decoded in place; several are joined first, so that a character split between
    // chunks decodes whole.
    settle(null, more ? Buffer.concat(more).toString('utf8') : first ? first.toString('utf8') : '');
  });
  incoming.once('error', (error) => settle(error, ''));
}
