import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine, createFornexClient, type Engine } from '@fornex-flow/core';
import { PERSONAL_API_KEY, startMockServer } from '@fornex-flow/mock-server';
import { sqliteStore } from '@fornex-flow/sqlite';
import { expect, onTestFinished } from 'vitest';
import { recipes } from '../../src/index.js';
import { createTestKit, type TestKit, type TestKitOptions } from '../../src/test-kit/index.js';
import { admin, type JournalLine, type WithMock } from './mock-reads.js';

/** One entry of the mock's journal, as `GET /__mock/requests` shows it (the fields the suite reads). */

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

/** Step deadline of the real-clock world: short, so a reply delayed past it costs a second, not minutes. */
export const realStepTimeoutMs = 300;

/**
 * The mock and an engine on the real clock (no test kit): for a reply delayed past the step's
 * deadline whose effect lands after the abort, which needs the engine's deadlines and the mock's
 * delay on one time line. Closed when the test ends.
 */
export async function startRealClockWorld(): Promise<WithMock & { engine: Engine }> {
  // A slow reboot (5 s): the retry's reconcile, 2 s or more after the late restart, sees it still under way.
  const mock = await startMockServer({ port: 0, powerDelayMs: 5_000 });
  const dir = mkdtempSync(path.join(tmpdir(), 'fornex-faults-'));
  const client = createFornexClient({
    apiKey: PERSONAL_API_KEY,
    baseURL: mock.url,
    retry: { baseDelayMs: 20, jitter: 0 },
  });
  const engine = createEngine({
    store: sqliteStore({ path: path.join(dir, 'runs.db') }),
    client,
    secretKey,
    stepTimeoutMs: realStepTimeoutMs,
    takeoverIntervalMs: 0,
  });
  engine.register(...recipes);
  onTestFinished(async () => {
    await engine.close();
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { mock, engine };
}

/** Adds fault rules through the admin API. */
export async function addFaults(world: WithMock, rules: Record<string, unknown>[]): Promise<void> {
  await admin(world, 'faults', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(rules),
  });
}

/** The fault rules still armed (a rule with `times` leaves once spent). */
export async function armedFaults(world: WithMock): Promise<unknown[]> {
  return (await admin<{ faults: unknown[] }>(world, 'faults')).faults;
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

/** Effects a repeat of which changes nothing: a record written by id with the same value (the engine may re-run it). */
export const idempotentEffects: readonly string[] = ['dns.updateRecord'];

/**
 * The effects of a faulted run against those of a clean run: the same endpoints, each as often,
 * except that an idempotent write may have been repeated once (re-run after its attempt was lost).
 */
export function expectNoEffectTwice(effects: Record<string, number>, clean: Record<string, number>): void {
  expect(Object.keys(effects).sort()).toEqual(Object.keys(clean).sort());
  for (const [endpoint, count] of Object.entries(effects)) {
    const cleanCount = clean[endpoint] ?? 0;
    if (idempotentEffects.includes(endpoint)) expect(count - cleanCount, endpoint).toBeLessThanOrEqual(1);
    else expect(count, endpoint).toBe(cleanCount);
  }
}
