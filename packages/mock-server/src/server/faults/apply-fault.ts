import { toPythonJson } from '../../py-json/index.js';
import type { ApiReply, ApiRequest } from '../api-exchange.js';
import { type MockRuntime, sleep } from '../runtime.js';
import { NO_BODY_STATUSES, type StoredFault } from './faults.js';

/** Holds the request until the client goes away or the server closes. */
function hang(req: ApiRequest, rt: MockRuntime): Promise<void> {
  return new Promise((resolve) => {
    let unsubscribe = () => {};
    const release = () => {
      rt.hangs.delete(release);
      // A keep-alive socket outlives the request: leave no listener behind on it.
      unsubscribe();
      resolve();
    };
    rt.hangs.add(release);
    unsubscribe = req.onGone(release);
  });
}

/** What a `drop` fault answers once the connection is gone: nobody receives it. */
export const DROPPED: ApiReply = { status: 502, headers: {}, body: null, dropped: true };

/**
 * Applies a fault rule: returns the injected reply (DROPPED for a dropped connection), or null
 * to go on with normal handling (a rule with only `delayMs`).
 */
export async function applyFault(req: ApiRequest, rt: MockRuntime, fault: StoredFault): Promise<ApiReply | null> {
  if (fault.delayMs) await sleep(fault.delayMs);
  if (fault.hang) {
    await hang(req, rt);
    return { status: 504, headers: {}, body: null };
  }
  if (fault.drop) {
    if (req.socket) {
      req.socket.destroy();
      return DROPPED;
    }
    return { status: 502, headers: {}, body: 'connection dropped' };
  }
  if (fault.malformed) {
    // A body cut short in the middle of a value: what a broken proxy or a crash mid-write gives.
    return { status: fault.status ?? 200, headers: { 'content-type': 'application/json' }, body: '{"ok": tr' };
  }
  if (fault.status !== undefined || fault.body !== undefined) {
    const status = fault.status ?? 200;
    const extra = fault.headers ?? {};
    if (NO_BODY_STATUSES.has(status)) return { status, headers: extra, body: null };
    if (fault.body === undefined && status >= 500) {
      return { status, headers: { 'content-type': 'text/html', ...extra }, body: `<h1>Server Error (${status})</h1>` };
    }
    const isText = typeof fault.body === 'string';
    const text = isText ? (fault.body as string) : toPythonJson(fault.body ?? {});
    const headers = { 'content-type': isText ? 'text/plain; charset=utf-8' : 'application/json', ...extra };
    return { status, headers, body: text };
  }
  return null;
}
