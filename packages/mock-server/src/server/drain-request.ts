import type { Readable } from 'node:stream';

/** At most this much of an unread body is read and discarded before answering. */
export const DRAIN_MAX_BYTES = 64 * 1024 * 1024;
/** ...and for at most this long. */
export const DRAIN_MAX_MS = 5000;

/**
 * Reads and discards what is left of a request body the mock has refused without reading (413 on
 * a declared length, 405, 404...). Answering first and closing with the body still arriving makes
 * the kernel reset the connection, and a client that reads its answer only after sending (curl)
 * then loses it. Bounded: past DRAIN_MAX_BYTES or DRAIN_MAX_MS the answer goes out anyway.
 */
export function drainRequest(incoming: Readable & { readonly complete: boolean }): Promise<void> {
  if (incoming.complete || incoming.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    let read = 0;
    const done = () => {
      clearTimeout(timer);
      incoming.off('data', count);
      incoming.off('end', done);
      incoming.off('close', done);
      incoming.off('error', done);
      resolve();
    };
    const count = (chunk: Buffer) => {
      read += chunk.length;
      if (read > DRAIN_MAX_BYTES) done();
    };
    const timer = setTimeout(done, DRAIN_MAX_MS);
    incoming.on('data', count);
    incoming.once('end', done);
    incoming.once('close', done);
    incoming.once('error', done);
    incoming.resume();
  });
}
