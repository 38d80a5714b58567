import { PERSONAL_API_KEY, startMockServer } from '@fornex-flow/mock-server';
import { sqliteStore } from '@fornex-flow/sqlite';
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import { createFornexClient } from '../../src/client/index.js';
import {
  createEngine,
  createFakeClock,
  defineRecipe,
  EngineErrorCode,
  type StepDefinition,
  stepActor,
  type WorkflowStore,
} from '../../src/engine/index.js';
import { nextEvent, tempDbPath } from './helpers.js';

/** A recipe of one step, `work`, whose result (or error) is the run's output. */
function oneStep(id: string, step: StepDefinition) {
  return defineRecipe({
    id,
    version: 1,
    description: 'one step',
    input: z.object({}),
    machine: setup({ actors: { work: stepActor() } }).createMachine({
      id,
      context: {},
      initial: 'work',
      states: {
        work: {
          invoke: { id: 'work', src: 'work', onDone: 'ok', onError: 'bad' },
        },
        ok: { type: 'final' },
        bad: { type: 'final' },
      },
    }),
    steps: { work: step },
  });
}

/** A `run` that settles only when its signal is aborted, keeping the abort reason. */
function untilAborted(reasons: unknown[]) {
  return ({ signal }: { signal: AbortSignal }) =>
    new Promise<never>((_, reject) => {
      signal.addEventListener('abort', () => {
        reasons.push(signal.reason);
        reject(signal.reason);
      });
    });
}

describe('step attempt deadlines', () => {
  it('aborts an attempt at its deadline with STEP_TIMEOUT and reconciles only once its request can no longer land', async () => {
    const clock = createFakeClock(0);
    const engine = createEngine({ store: sqliteStore({ path: tempDbPath() }), clock, maxClockSkewMs: 100 });
    const reasons: unknown[] = [];
    const reconciledAt: number[] = [];
    const signals: AbortSignal[] = [];
    engine.register(
      oneStep('slow', {
        timeoutMs: 1000,
        retry: { maxAttempts: 2, initialIntervalMs: 10 },
        reconcile: () => {
          reconciledAt.push(clock.now());
          return { done: false };
        },
        run: (ctx) => {
          signals.push(ctx.signal);
          return ctx.attempt === 1 ? untilAborted(reasons)(ctx) : Promise.resolve('second try');
        },
      }),
    );
    const retrying = nextEvent(engine, 'step:retrying');
    const run = await engine.start('slow', {});
    await clock.advance(999);
    expect(reasons).toEqual([]);
    await clock.advance(1);
    expect((await retrying).error).toMatchObject({ code: EngineErrorCode.StepTimeout });
    expect(reasons).toEqual([expect.objectContaining({ code: EngineErrorCode.StepTimeout })]);
    // The retry timer is due after 10 ms, but the aborted request may land until 1000 + 1000 (+ skew).
    await clock.advance(1000);
    expect(reconciledAt).toEqual([]);
    await clock.advance(100);
    expect(reconciledAt).toEqual([2100]);
    await expect(run.result()).resolves.toBeUndefined();
    expect(await engine.steps(run.runId)).toMatchObject([{ status: 'succeeded', attempt: 2 }]);
    // The second attempt had a signal of its own, not the aborted one.
    expect(signals.map((signal) => signal.aborted)).toEqual([true, false]);
    await engine.close();
  });

  it('a takeover of a step in doubt waits until the stalled attempt is settled before reconciling', async () => {
    const dbPath = tempDbPath();
    const leaseMs = 3000;
    const a = createFakeClock(0);
    const b = createFakeClock(0);
    const reconciledAt: number[] = [];
    const step: StepDefinition = {
      timeoutMs: 5000, // longer than the lease: the takeover must wait past the lease's expiry
      reconcile: () => {
        reconciledAt.push(b.now());
        return { done: true, output: 'found' };
      },
      run: untilAborted([]),
    };
    const engineA = createEngine({ store: sqliteStore({ path: dbPath }), clock: a, leaseMs, ownerId: 'a' });
    const engineB = createEngine({ store: sqliteStore({ path: dbPath }), clock: b, leaseMs, ownerId: 'b' });
    engineA.register(oneStep('doubt', step));
    engineB.register(oneStep('doubt', step));
    const started = nextEvent(engineA, 'step:started');
    const { runId } = await engineA.start('doubt', {});
    await started;
    // A stalls (its clock stands still, nothing of it runs); B's clock goes past A's lease.
    await b.advance(leaseMs + 1);
    const { resumed } = await engineB.resumeAll();
    expect(resumed.map((h) => h.runId)).toEqual([runId]);
    // A's attempt started at 0 with a deadline at 5000; its request may land until 10000, and
    // clocks may disagree by 100 ms (the default margin).
    await b.advance(10_100 - b.now() - 1);
    expect(reconciledAt).toEqual([]);
    await b.advance(1);
    expect(reconciledAt).toEqual([10_100]);
    await expect(resumed[0]?.result()).resolves.toBeUndefined();
    await engineA.close();
    await engineB.close();
  });

  it('an engine that lost a lease starts no further attempt of that run, even one queued before', async () => {
    const dbPath = tempDbPath();
    const leaseMs = 3000;
    const a = createFakeClock(0);
    const b = createFakeClock(0);
    // A's renewals fail from some point on (a busy database), as in a long stall.
    let renewalsFail = false;
    const storeA: WorkflowStore = sqliteStore({ path: dbPath });
    const renew = storeA.renewLeases.bind(storeA);
    storeA.renewLeases = (owner, expiresMs) => {
      if (renewalsFail) throw new Error('SQLITE_BUSY');
      return renew(owner, expiresMs);
    };
    let release: (value: string) => void = () => {};
    const touched: string[] = [];
    const blocker = oneStep('blocker', {
      timeoutMs: 60_000,
      idempotent: true,
      run: () => new Promise<string>((resolve) => (release = resolve)),
    });
    const touch = oneStep('touch', {
      idempotent: true,
      run: () => {
        touched.push('touch');
        return 'touched';
      },
    });
    const engineA = createEngine({ store: storeA, clock: a, leaseMs, ownerId: 'a', concurrency: 1 });
    const engineB = createEngine({ store: sqliteStore({ path: dbPath }), clock: b, leaseMs, ownerId: 'b' });
    engineA.register(blocker, touch);
    engineB.register(blocker, touch);
    await engineA.start('blocker', {});
    // The only slot is taken: this run's step waits in A's queue.
    const queued = await engineA.start('touch', {});
    expect(touched).toEqual([]);
    renewalsFail = true;
    await a.advance(leaseMs + 1);
    await b.advance(leaseMs + 1);
    const takenOver = await engineB.resume(queued.runId);
    await takenOver.result();
    expect(touched).toEqual(['touch']);
    // The slot frees up on A: its queued attempt must not run, the run is no longer A's.
    release('done');
    await expect(queued.result()).rejects.toMatchObject({ code: EngineErrorCode.LeaseLost });
    expect(touched).toEqual(['touch']);
    expect(await engineB.get(queued.runId)).toMatchObject({ status: 'completed' });
    await engineA.close();
    await engineB.close();
  });

  it('refuses deadlines that cannot work', async () => {
    const store = () => sqliteStore({ path: ':memory:' });
    expect(() => createEngine({ store: store(), leaseMs: 1000, stepTimeoutMs: 1000 })).toThrow(/stepTimeoutMs/);
    expect(() => createEngine({ store: store(), leaseMs: 0 })).toThrow(/leaseMs/);
    expect(() => createEngine({ store: store(), maxClockSkewMs: -1 })).toThrow(/maxClockSkewMs/);
    const engine = createEngine({ store: store() });
    for (const timeoutMs of [0, 1.5, Number.NaN, 2 ** 31]) {
      expect(() => engine.register(oneStep(`bad-${timeoutMs}`, { timeoutMs, run: () => 1 }))).toThrow(
        expect.objectContaining({ code: EngineErrorCode.InvalidRecipe, message: expect.stringContaining('timeoutMs') }),
      );
    }
    await engine.close();
  });
});

describe('the deadline ends the request itself', () => {
  it('aborts a hanging Fornex call through ctx.signal: STEP_TIMEOUT, and the mock sees its client go', async () => {
    const mock = await startMockServer({ port: 0 });
    const engine = createEngine({
      store: sqliteStore({ path: tempDbPath() }),
      client: createFornexClient({ apiKey: PERSONAL_API_KEY, baseURL: mock.url, retry: false }),
    });
    try {
      await fetch(`${mock.url}/__mock/faults`, {
        method: 'POST',
        body: JSON.stringify({ path: '/api/account/balance', hang: true }),
        headers: { 'content-type': 'application/json' },
      });
      engine.register(
        oneStep('balance', {
          idempotent: true,
          timeoutMs: 300,
          run: ({ client, signal }) => client.account.balance({ signal }),
        }),
      );
      const failed = nextEvent(engine, 'step:failed');
      await engine.start('balance', {});
      expect((await failed).error).toMatchObject({ code: EngineErrorCode.StepTimeout });
      // A hanging request is journaled when it ends, which only its client going away does here.
      let journaled: { path: string; status: number }[] = [];
      for (let i = 0; i < 100 && journaled.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        journaled = ((await (await fetch(`${mock.url}/__mock/requests`)).json()) as { requests: typeof journaled })
          .requests;
      }
      expect(journaled).toMatchObject([{ path: '/api/account/balance', status: 504 }]);
    } finally {
      await engine.close();
      await mock.close();
    }
  });
});
