import type { Context } from 'hono';
import { toPythonJson } from '../py-json/index.js';
import { NO_BODY_STATUSES, type StoredFault } from './faults.js';
import { type MockRuntime, nodeRequest, sleep } from './runtime.js';

/** Holds the request until the client goes away or the server closes. */
function hang(c: Context, rt: MockRuntime): Promise<void> {
  return new Promise((resolve) => {
    const socket = nodeRequest(c)?.socket;
    const signal = c.req.raw.signal;
    const release = () => {
      rt.hangs.delete(release);
      // A keep-alive socket outlives the request: leave no listener behind on it.
      socket?.off('close', release);
      signal?.removeEventListener('abort', release);
      resolve();
    };
    rt.hangs.add(release);
    socket?.once('close', release);
    signal?.addEventListener('abort', release, { once: true });
  });
}

/** What a `drop` fault answers to Hono once the connection is gone: nobody receives it. */
export const DROPPED = new Response(null, { status: 502 });

/**
 * Applies a fault rule: returns the injected response (DROPPED for a dropped connection), or
 * null to go on with normal handling (a rule with only `delayMs`).
 */
export async function applyFault(c: Context, rt: MockRuntime, fault: StoredFault): Promise<Response | null> {
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.hang) {
    await hang(c, rt);
    return new Response(null, { status: 504 });
  }
  if (fault.drop) {
    const socket = nodeRequest(c)?.socket;
    if (socket) {
      socket.destroy();
      return DROPPED;
    }
    return new Response('connection dropped', { status: 502 });
  }
  if (fault.malformed) {
    // A body cut short in the middle of a value: what a broken proxy or a crash mid-write gives.
    return new Response('{"ok": tr', { status: fault.status ?? 200, headers: { 'content-type': 'application/json' } });
  }
  if (fault.status !== undefined || fault.body !== undefined) {
    const status = fault.status ?? 200;
    const extra = fault.headers ?? {};
    if (NO_BODY_STATUSES.has(status)) return new Response(null, { status, headers: extra });
    if (fault.body === undefined && status >= 500) {
      const headers = { 'content-type': 'text/html', ...extra };
      return new Response(`<h1>Server Error (${status})</h1>`, { status, headers });
    }
    const isText = typeof fault.body === 'string';
    const text = isText ? (fault.body as string) : toPythonJson(fault.body ?? {});
    const headers = { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...extra };
    return new Response(text, { status, headers });
  }
  return null;
}
