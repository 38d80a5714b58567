// Shared by the client's integration tests: a real mock server on port 0, reset before each test,
// and its admin API over real HTTP.
import {
  type FaultRule,
  type JournalEntry,
  LIMITED_API_KEY,
  PERSONAL_API_KEY,
  type RunningMockServer,
  startMockServer,
  type WorldState,
} from '@fornex-flow/mock-server';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createFornexClient, type Dialect, type FornexClient, type FornexClientOptions } from '../../src/index.js';

/** The mock's key with every right. */
export const PERSONAL = PERSONAL_API_KEY;
/** The mock's key without the DNS-editing right. */
export const LIMITED = LIMITED_API_KEY;

/** A running mock for the tests of one `describe`: started once, reset before each test. */
export interface MockHandle {
  readonly mock: RunningMockServer;
  /** A client of this mock; no retry waits worth the name, unless overridden. */
  client(options?: Partial<FornexClientOptions>): FornexClient;
}

/** Starts a mock server of `dialect` for the enclosing describe block. */
export function useMock(dialect: Dialect, options: { errorStatus?: 200 | 400 } = {}): MockHandle {
  let mock: RunningMockServer | undefined;
  beforeAll(async () => {
    mock = await startMockServer({ port: 0, dialect, ...options });
  });
  afterAll(async () => {
    await mock?.close();
  });
  beforeEach(async () => {
    await admin(handle.mock, 'POST', '/reset');
    await admin(handle.mock, 'DELETE', '/requests');
  });
  const handle: MockHandle = {
    get mock() {
      if (!mock) throw new Error('the mock is not started yet');
      return mock;
    },
    client: (overrides = {}) =>
      createFornexClient({
        apiKey: PERSONAL,
        baseURL: handle.mock.url,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        ...overrides,
      }),
  };
  return handle;
}

/** Calls the admin API; fails the test on a non-2xx answer. */
export async function admin(mock: { url: string }, method: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${mock.url}/__mock${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`admin ${method} ${path}: ${response.status} ${text}`);
  return text === '' ? undefined : JSON.parse(text);
}

/** Adds fault rules. */
export async function addFaults(mock: { url: string }, ...rules: FaultRule[]): Promise<void> {
  await admin(mock, 'POST', '/faults', rules);
}

/** The API requests the mock has seen since the last reset, oldest first. */
export async function journal(mock: { url: string }): Promise<JournalEntry[]> {
  const { requests } = (await admin(mock, 'GET', '/requests')) as { requests: JournalEntry[] };
  return requests;
}

/** The journal once it holds at least `count` entries: a released hang is recorded a moment later. */
export async function settledJournal(mock: { url: string }, count: number): Promise<JournalEntry[]> {
  for (let tries = 0; ; tries++) {
    const entries = await journal(mock);
    if (entries.length >= count || tries >= 100) return entries;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Replaces the mock's world with the current one changed by `change`. */
export async function changeWorld(mock: { url: string }, change: (state: WorldState) => void): Promise<void> {
  const state = (await admin(mock, 'GET', '/state')) as WorldState;
  change(state);
  await admin(mock, 'PUT', '/state', state);
}

/** The rejection of a promise that must reject. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}

/** A valid OpenSSH public key the mock accepts. */
export const publicKey = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG3ZqZr5l1f0+T0vTFGjd1zb7fWcTxD7uJ5mP0xR3kq9 client@test';
