// Small helpers shared by the integration tests: every call is a real HTTP request to a running mock.

import { type Agent, request } from 'node:http';
import { onTestFinished } from 'vitest';
import { type StartMockServerOptions, startMockServer } from '../src/index.js';

/** Anything with a base URL: a running mock server, or a CLI child's address. */
export interface Target {
  readonly url: string;
}

/** A response read to the end: raw text (the exact bytes as UTF-8) plus its JSON, if it is JSON. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or undefined when the body is not JSON. */
  readonly json: unknown;
}

export const PERSONAL = 'PERSONAL_API_KEY';
export const LIMITED = 'LIMITED_API_KEY';
export const OTHER = 'OTHER_API_KEY';

/** Reads a response fully. */
export async function read(response: Response): Promise<Reply> {
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** How `rawRequest` sends: a body, its content type (none unless given), a connection agent. */
export interface RawRequestInit {
  readonly body?: Buffer | string;
  readonly contentType?: string;
  readonly agent?: Agent;
}

/**
 * Sends a request with Node's own client, so a malformed path or body reaches the server exactly as
 * written (fetch would normalize or refuse it).
 */
export function rawRequest(target: Target, method: string, path: string, init: RawRequestInit = {}): Promise<Reply> {
  const { hostname, port } = new URL(target.url);
  const { body, contentType, agent } = init;
  return new Promise((resolve, reject) => {
    const req = request({
      hostname,
      port,
      method,
      path,
      ...(agent ? { agent } : {}),
      headers: {
        ...(contentType ? { 'content-type': contentType } : {}),
        // Node's client sends a DELETE body unframed unless told its length.
        ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
      },
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        const headers = new Headers();
        for (const [name, value] of Object.entries(res.headers)) {
          if (typeof value === 'string') headers.set(name, value);
        }
        // A HEAD answer has no body, and Response refuses one for a bodiless status.
        const bytes = chunks.length > 0 ? Buffer.concat(chunks) : null;
        read(new Response(bytes, { status: res.statusCode ?? 0, headers })).then(resolve, reject);
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** GET an API path, with `apikey` in the query (omitted when key is null). */
export async function get(
  target: Target,
  path: string,
  key: string | null = PERSONAL,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const sep = path.includes('?') ? '&' : '?';
  const url = key === null ? `${target.url}${path}` : `${target.url}${path}${sep}apikey=${encodeURIComponent(key)}`;
  return read(await fetch(url, { headers }));
}

/** POST an API path with a form-encoded body, `apikey` included (omitted when key is null). */
export async function post(
  target: Target,
  path: string,
  form: Record<string, string> = {},
  key: string | null = PERSONAL,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const fields = key === null ? form : { ...form, apikey: key };
  return read(
    await fetch(`${target.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      body: new URLSearchParams(fields).toString(),
    }),
  );
}

/** Calls the admin API: `admin(mock, 'POST', '/faults', {...})`; a body is sent as JSON, a string as is. */
export async function admin(target: Target, method: string, path: string, body?: unknown): Promise<Reply> {
  const init: RequestInit = { method };
  if (body !== undefined) {
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
    init.headers = { 'content-type': 'application/json' };
  }
  return read(await fetch(`${target.url}/__mock${path}`, init));
}

/** The `error` field of a reply (undefined when there is none). */
export function errorOf(reply: Reply): unknown {
  const json = reply.json;
  return typeof json === 'object' && json !== null && !Array.isArray(json)
    ? (json as Record<string, unknown>).error
    : undefined;
}

/** The world as `GET /__mock/state` returns it, as text (for byte comparisons) and parsed. */
export async function state(target: Target): Promise<{ text: string; json: WorldJson }> {
  const reply = await admin(target, 'GET', '/state');
  if (reply.status !== 200) throw new Error(`GET /__mock/state answered ${reply.status}: ${reply.text}`);
  return { text: reply.text, json: reply.json as WorldJson };
}

/** The parts of the world JSON that tests look into. */
export interface WorldJson {
  version: number;
  keys: Array<{ key: string; tenant: string; dnsEdit: boolean }>;
  tenants: Array<{
    id: string;
    account: { balance: number } & Record<string, unknown>;
    orders: Array<{ id: string; type: string; sshKeyIds: number[]; nss: string[] | null } & Record<string, unknown>>;
    sshKeys: Array<{ id: number; key: string }>;
    domains: Array<{ name: string; tags: string[]; serial: number; records: Array<{ id: number }> }>;
    webhook: { url: string | null; last_error_message: string | null; last_error_date: string | null };
    tickets: Array<{ id: number; comments: number }>;
  }>;
  sequences: { job: number; sshKey: number; record: number; password: number };
  [key: string]: unknown;
}

/** Moves mock time forward. */
export async function advanceClock(target: Target, ms: number): Promise<void> {
  const reply = await admin(target, 'POST', '/clock/advance', { ms });
  if (reply.status !== 200) throw new Error(`clock/advance answered ${reply.status}: ${reply.text}`);
}

/** Adds fault rules; returns their ids. */
export async function addFaults(target: Target, rules: unknown): Promise<number[]> {
  const reply = await admin(target, 'POST', '/faults', rules);
  if (reply.status !== 201) throw new Error(`POST /__mock/faults answered ${reply.status}: ${reply.text}`);
  return (reply.json as { faults: Array<{ id: number }> }).faults.map((f) => f.id);
}

/** Starts a mock on a free port for this test and closes it when the test ends. */
export async function startMock(options: StartMockServerOptions = {}) {
  const mock = await startMockServer({ port: 0, ...options });
  onTestFinished(() => mock.close());
  return mock;
}
