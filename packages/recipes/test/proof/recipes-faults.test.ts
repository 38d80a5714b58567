import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TestKit } from '../../src/test-kit/index.js';
import { type FaultCase, faultCases, type PermanentOutcome } from './fault-cases.js';
import {
  addFaults,
  armedFaults,
  effectCounts,
  effectEndpoints,
  expectNoEffectTwice,
  realStepTimeoutMs,
  startFaultKit,
  startRealClockWorld,
} from './fault-world.js';
import { type JournalLine, journal, personalTenant } from './mock-reads.js';

const faultSeed = 13_2026;

/** What one clean run of a recipe did: its end state, its effects, and every request it made. */
interface CleanRun {
  initial: unknown;
  state: unknown;
  effects: Record<string, number>;
  requests: JournalLine[];
}

/** A fault that may pass: the run must retry or reconcile it and end as a clean run does. */
const transientFaults = {
  '503': { status: 503, times: 3 },
  hang: { hang: true, times: 1 },
  drop: { drop: true, times: 1 },
} as const;
type TransientKind = keyof typeof transientFaults;

/** How a run ended, the steps it started, and what the mock saw. */
interface Observed {
  end: Awaited<ReturnType<TestKit['finish']>>;
  started: string[];
  requests: JournalLine[];
  state: unknown;
}

async function runCase(c: FaultCase, rules: Record<string, unknown>[], options: { stepWaitMs?: number } = {}) {
  const kit = await startFaultKit(options);
  const initial = c.state(await personalTenant(kit));
  if (rules.length) await addFaults(kit, rules);
  const started: string[] = [];
  kit.engine.on('step:started', ({ step }) => started.push(step));
  const run = await kit.engine.start(c.id, c.input);
  const end = await kit.finish(run);
  const observed: Observed = { end, started, requests: await journal(kit), state: c.state(await personalTenant(kit)) };
  return { kit, initial, observed };
}

const cleanRuns = new Map<string, CleanRun>();

async function cleanRun(c: FaultCase): Promise<CleanRun> {
  const known = cleanRuns.get(c.id);
  if (known) return known;
  const { initial, observed } = await runCase(c, []);
  expect(observed.end.status, JSON.stringify(observed.end)).toBe('completed');
  const clean = {
    initial,
    state: observed.state,
    effects: effectCounts(observed.requests),
    requests: observed.requests,
  };
  cleanRuns.set(c.id, clean);
  return clean;
}

/** Seeded targets: one request among the clean run's effects and one among its reads, per fault kind. */
function targets(clean: CleanRun, index: number): { kind: TransientKind; target: JournalLine }[] {
  const effects = clean.requests.filter((line) => effectEndpoints.includes(line.endpointId ?? ''));
  const reads = clean.requests.filter((line) => !effectEndpoints.includes(line.endpointId ?? ''));
  const picks = fc.sample(fc.tuple(fc.nat(), fc.nat()), { seed: faultSeed + index, numRuns: 3 });
  return (Object.keys(transientFaults) as TransientKind[]).flatMap((kind, k) => {
    const [e, r] = picks[k] as [number, number];
    return [
      { kind, target: effects[e % effects.length] as JournalLine },
      { kind, target: reads[r % reads.length] as JournalLine },
    ];
  });
}

/** The first request of the clean run to `endpointId`. */
function firstRequestTo(clean: CleanRun, endpointId: string): JournalLine {
  const found = clean.requests.find((line) => line.endpointId === endpointId);
  if (!found) throw new Error(`the clean run made no request to ${endpointId}`);
  return found;
}

/** A run's error as the engine stores it. */
function errorOf(observed: Observed) {
  expect(observed.end.status, JSON.stringify(observed.end)).toBe('failed');
  return (observed.end as { error: Record<string, unknown> }).error;
}

/** One printable line, a full sentence, no stack trace. */
function expectClearMessage(message: unknown) {
  expect(typeof message).toBe('string');
  expect(message).not.toMatch(/\n|\s+at\s+\S+\s+\(|node:internal|\.ts:\d+/);
  expect((message as string).length).toBeGreaterThan(20);
}

function expectPermanent(observed: Observed, clean: CleanRun, outcome: PermanentOutcome, faulted: number) {
  const error = errorOf(observed);
  expect(error).toMatchObject({ name: 'RecipeFailure', code: outcome.code });
  expectClearMessage(error.message);
  expect(observed.started.filter((step) => outcome.notStarted.includes(step))).toEqual([]);
  expect(effectCounts(observed.requests)).toEqual(outcome.effects);
  // Nothing was half-applied: the world is as before the run.
  expect(observed.state).toEqual(clean.initial);
  // Not retried: the faulted endpoint was asked exactly as often as the recipe's report says.
  expect(observed.requests.filter((line) => line.faultId !== null)).toHaveLength(faulted);
}

describe.each(faultCases.map((c, index) => ({ ...c, index })))('$id under faults', (c) => {
  it('a clean run: the reference end state and effect counts', async () => {
    const clean = await cleanRun(c);
    expect(Object.values(clean.effects).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(clean.state).not.toEqual(clean.initial);
  });

  it('transient faults (503 x3, a hang past the step deadline, a dropped connection) on seeded requests: retried or reconciled to the end state of a clean run, no effect twice', async () => {
    const clean = await cleanRun(c);
    for (const { kind, target } of targets(clean, c.index)) {
      const label = `${kind} on ${target.method} ${target.path} (${target.endpointId})`;
      const rule = { method: target.method, path: target.path, ...transientFaults[kind] };
      const { kit, observed } = await runCase(c, [rule], kind === 'hang' ? { stepWaitMs: 1_000 } : {});
      // The rule fired (the test is not vacuous).
      expect(
        observed.requests.some((line) => line.faultId !== null),
        label,
      ).toBe(true);
      if (c.inDoubtFails && target.endpointId === c.inDoubtFails.endpointId && kind !== '503') {
        // The effect is in doubt and cannot be reconciled: a clear failure, never a second reset.
        const error = errorOf(observed);
        expect(error, label).toMatchObject({ name: 'RecipeFailure', code: c.inDoubtFails.code });
        expectClearMessage(error.message);
        expect(effectCounts(observed.requests), label).toEqual({});
        expect(observed.state, label).toEqual(clean.initial);
        continue;
      }
      expect(observed.end, label).toMatchObject({ status: 'completed' });
      expect(observed.state, label).toEqual(clean.state);
      expect(effectCounts(observed.requests), label).toEqual(clean.effects);
      // Every time the rule may fire was met (a 503 three times): the run went through them all.
      expect(await armedFaults(kit), label).toEqual([]);
    }
  });

  it('403 on its first effect: failed with a structured error (code, status, endpointId), not retried, no later step', async () => {
    const clean = await cleanRun(c);
    const target = firstRequestTo(clean, c.firstEffect);
    const { observed } = await runCase(c, [
      { method: target.method, path: target.path, status: 403, body: { detail: 'You do not have permission.' } },
    ]);
    expectPermanent(observed, clean, c.forbidden, c.forbidden.code === 'ROLLBACK_INCOMPLETE' ? 2 : 1);
    expect(errorOf(observed)).toMatchObject({ status: 403, endpointId: c.firstEffect });
  });

  it('a malformed JSON reply to its first effect: a clear failure, nothing half-applied without a report', async () => {
    const clean = await cleanRun(c);
    const target = firstRequestTo(clean, c.firstEffect);
    const { observed } = await runCase(c, [{ method: target.method, path: target.path, malformed: true, times: 1 }]);
    expectPermanent(observed, clean, c.malformed, 1);
    expect(errorOf(observed)).toMatchObject({ endpointId: c.firstEffect });
  });

  it('a reply delayed past the step deadline, its effect landing after the abort (real clock): reconciled or reported, never done twice', async () => {
    const clean = await cleanRun(c);
    const target = firstRequestTo(clean, c.firstEffect);
    const world = await startRealClockWorld();
    // The reply comes long after the deadline, and the effect lands then, well before the retry's reconcile.
    await addFaults(world, [{ method: target.method, path: target.path, delayMs: 3 * realStepTimeoutMs, times: 1 }]);
    const stepErrors: string[] = [];
    world.engine.on('step:retrying', ({ error }) => stepErrors.push(String(error.code)));
    world.engine.on('step:failed', ({ error }) => stepErrors.push(String(error.code)));
    const run = await world.engine.start(c.id, { ...c.input, ...c.realClockInput });
    const end = await run.result().then(
      () => ({ status: 'completed' as const }),
      (error: { code?: string; cause?: unknown }) => ({ status: 'failed' as const, error }),
    );
    // The run may end (reset-root-password fails at once) before the delayed request lands: wait for it.
    let requests = await journal(world);
    for (let i = 0; i < 100 && !requests.some((line) => line.faultId !== null); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      requests = await journal(world);
    }
    // The deadline aborted the attempt, and the delayed request still reached its endpoint.
    expect(stepErrors).toContain('STEP_TIMEOUT');
    expect(requests.some((line) => line.faultId !== null && line.status === 200)).toBe(true);
    // Counted with the delayed one: it took effect.
    const effects: Record<string, number> = {};
    for (const line of requests)
      if (line.endpointId !== null && effectEndpoints.includes(line.endpointId) && line.status !== null)
        effects[line.endpointId] = (effects[line.endpointId] ?? 0) + 1;
    expect(c.state(await personalTenant(world))).toEqual(clean.state);
    expectNoEffectTwice(effects, clean.effects);
    if (c.inDoubtFails) {
      // Not reconcilable: the run fails and says the effect may have happened.
      expect(end.status).toBe('failed');
      const info = await world.engine.get(run.runId);
      expect(info?.error).toMatchObject({ name: 'RecipeFailure', code: c.inDoubtFails.code });
      expectClearMessage(info?.error?.message);
      expect(info?.error?.message).toMatch(/may have/);
    } else expect(end, JSON.stringify(end)).toEqual({ status: 'completed' });
  });
});
