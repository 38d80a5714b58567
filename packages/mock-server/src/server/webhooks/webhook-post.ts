import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';

/** At most this much of a receiver's reply is read; the rest is never fetched. */
export const MAX_REPLY_BYTES = 64 * 1024;

/** Header every delivery carries, so the mock can refuse a delivery that comes back to it. */
export const DELIVERY_HEADER = 'x-fornex-mock-webhook';

/** How one POST ended: `failure` null on a 2xx. */
export interface PostOutcome {
  readonly failure: string | null;
  readonly status?: number;
}

/** What to send where: the URL, the address it was resolved to (and checked), the JSON body. */
export interface PostTarget {
  readonly url: URL;
  readonly address: string;
  readonly family: 4 | 6;
  readonly body: string;
  readonly timeoutMs: number;
}

/**
 * POSTs a JSON body to a checked address. The connection goes to `address` (a lookup that answers
 * it), never to a fresh resolution of the name; the reply is read up to MAX_REPLY_BYTES and then
 * dropped; the whole exchange, reply included, is bounded by `timeoutMs`. A receiver can therefore
 * neither feed the mock an endless body nor hold it forever.
 */
export function postJson(target: PostTarget): Promise<PostOutcome> {
  const { url, address, family, body, timeoutMs } = target;
  const pinned: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<PostOutcome>((resolve) => {
    let settled = false;
    const finish = (outcome: PostOutcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.destroy();
      resolve(outcome);
    };
    const req = send(url, {
      method: 'POST',
      lookup: pinned,
      agent: false,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(body),
        [DELIVERY_HEADER]: '1',
      },
    });
    const timer = setTimeout(() => finish({ failure: `timed out after ${timeoutMs} ms` }), timeoutMs);
    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const ok = status >= 200 && status < 300;
      const outcome: PostOutcome = ok
        ? { failure: null, status }
        : { failure: `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ''}`, status };
      // The status decides; the body is only read (a bounded prefix of it) to end the exchange politely.
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read >= MAX_REPLY_BYTES) finish(outcome);
      });
      res.on('end', () => finish(outcome));
      res.on('error', () => finish(outcome));
      res.on('aborted', () => finish(outcome));
      // A reply whose headers came in time counts, even if its body then stalls.
      clearTimeout(timer);
      setTimeout(() => finish(outcome), Math.min(timeoutMs, 1000)).unref();
    });
    req.on('error', (error: NodeJS.ErrnoException) =>
      finish({ failure: error.code ?? error.message ?? 'delivery failed' }),
    );
    req.end(body);
  });
}
