import { onTestFinished } from 'vitest';
import { recipes } from '../../src/index.js';
import { createTestKit, type TestKit, type TestKitOptions } from '../../src/test-kit/index.js';

/** One entry of the mock's journal, as `GET /__mock/requests` shows it (the fields the suite reads). */
export interface JournalLine {
  method: string;
  path: string;
  status: number | null;
  dropped: boolean;
  endpointId: string | null;
  faultId: number | null;
}

/**
 * The requests that change the world: every POST of the recipes, and `passwd_reset` (a GET with a
 * side effect). Counted only when they reached the endpoint (no fault answered instead).
 */
export const effectEndpoints: readonly string[] = [
  'sshKeys.add',
  'sshKeys.addToOrder',
  'sshKeys.deleteFromOrder',
  'sshKeys.delete',
  'vps.passwdReset',
  'dns.updateRecord',
  'vps.restart',
  'vps.hardReset',
];

/** Key of the engine in every fault kit: reset-root-password's password must survive a restart. */
const secretKey = Buffer.alloc(32, 7);

/**
 * A test kit for the fault suite, closed when the test ends. The client retries GETs as it does by
 * default, but without jitter and with short real-time backoffs (20, 40 ms), so that virtual time
 * never moves during a backoff.
 */
export async function startFaultKit(options: Partial<TestKitOptions> = {}): Promise<TestKit> {
  const kit = await createTestKit({
    ...options,
    recipes,
    client: { retry: { baseDelayMs: 20, jitter: 0 }, ...options.client },
    // No takeover sweep: one engine per kit, and its 1 s timer would make a hung step's wait for its deadline many hops long.
    engine: { secretKey, takeoverIntervalMs: 0, ...options.engine },
  });
  onTestFinished(() => kit.close());
  return kit;
}

async function admin<T>(kit: TestKit, path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(`${kit.mock.url}/__mock/${path}`, init);
  if (!res.ok) throw new Error(`${init?.method ?? 'GET'} /__mock/${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** Adds fault rules through the admin API. */
export async function addFaults(kit: TestKit, rules: Record<string, unknown>[]): Promise<void> {
  await admin(kit, 'faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
}

/** The fault rules still armed (a rule with `times` leaves once spent). */
export async function armedFaults(kit: TestKit): Promise<unknown[]> {
  return (await admin<{ faults: unknown[] }>(kit, 'faults')).faults;
}

/** The mock's journal of API requests, oldest first. */
export async function journal(kit: TestKit): Promise<JournalLine[]> {
  return (await admin<{ requests: JournalLine[] }>(kit, 'requests?limit=1000')).requests;
}

/** The effects that reached the mock's endpoints, counted per endpoint id (zero counts left out). */
export function effectCounts(lines: readonly JournalLine[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    if (line.faultId !== null || line.endpointId === null || !effectEndpoints.includes(line.endpointId)) continue;
    counts[line.endpointId] = (counts[line.endpointId] ?? 0) + 1;
  }
  return counts;
}

/** A tenant of `GET /__mock/state` (the fields the recipes change). */
export interface WorldTenant {
  id: string;
  sshKeys: { id: number; title: string; key: string; created: string }[];
  orders: { id: string; sshKeyIds: number[]; power: unknown }[];
  jobs: { id: number; orderId: string }[];
  domains: { name: string; records: unknown[] }[];
}

/** The personal tenant, read through the documented admin API. */
export async function personalTenant(kit: TestKit): Promise<WorldTenant> {
  const state = await admin<{ tenants: WorldTenant[] }>(kit, 'state');
  const found = state.tenants.find((tenant) => tenant.id === 'personal');
  if (!found) throw new Error('no personal tenant in the mock');
  return found;
}
