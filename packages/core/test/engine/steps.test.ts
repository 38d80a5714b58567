import { afterEach, describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { defineRecipe, EngineErrorCode, type StepDefinition, stepActor } from '../../src/engine/index.js';
import { makeEngine, nextEvent, tempDbPath } from './helpers.js';

/** A one-step recipe; the machine records the step's failure in its output instead of failing the run. */
function oneStep(id: string, step: StepDefinition, version = 1) {
  return defineRecipe({
    id,
    version,
    description: 'one step',
    input: z.object({ n: z.number().default(0) }),
    machine: setup({
      types: { input: {} as { n: number }, context: {} as { n: number; result?: unknown } },
      actors: { work: stepActor<unknown, { n: number }>() },
    }).createMachine({
      id,
      context: ({ input }) => ({ n: input.n }),
      initial: 'work',
      states: {
        work: {
          invoke: {
            id: 'work',
            src: 'work',
            input: ({ context }) => ({ n: context.n }),
            onDone: {
              target: 'ok',
              actions: assign({ result: ({ event }) => ({ type: event.type, output: event.output }) }),
            },
            onError: {
              target: 'bad',
              actions: assign({ result: ({ event }) => ({ type: event.type, error: event.error }) }),
            },
          },
          on: { STOP: { target: 'stopped', actions: assign({ result: { type: 'STOP' } }) } },
        },
        ok: { type: 'final' },
        bad: { type: 'final' },
        stopped: { type: 'final' },
      },
      output: ({ context }) => context.result,
    }),
    steps: { work: step },
  });
}

/** A step that runs until the test releases it, noting whether its signal was aborted. */
function blockingStep(state: { aborted: boolean }): StepDefinition {
  return {
    run: ({ signal }) =>
      new Promise((resolve) => {
        signal.addEventListener('abort', () => {
          state.aborted = true;
        });
        release.push(() => resolve('too late'));
      }),
  };
}

/** A run of a one-step recipe whose step has started and blocks until the test releases it. */
async function startBlocked(id: string) {
  const state = { aborted: false };
  const { engine } = makeEngine(tempDbPath());
  engine.register(oneStep(id, blockingStep(state)));
  const started = nextEvent(engine, 'step:started');
  const handle = await engine.start(id, {});
  await started;
  return { engine, handle, state };
}

const httpError = (status: number) => Object.assign(new Error(`HTTP ${status}`), { status });
let release: (() => void)[] = [];
afterEach(() => {
  for (const r of release) r();
  release = [];
});

describe('steps: retries, reconcile, concurrency, children, cancellation', () => {
  it('fails only the run whose step returned an output JSON cannot hold; runs committed alongside go on', async () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const bad = oneStep('unstorable', { idempotent: true, run: () => cyclic });
    const good = oneStep('storable', { idempotent: true, run: ({ input }) => (input as { n: number }).n * 2 });
    const { engine } = makeEngine(tempDbPath());
    engine.register(bad, good);
    // Started together, so their commits share group-commit batches.
    const handles = await Promise.all([
      engine.start('storable', { n: 1 }),
      engine.start('unstorable', {}),
      engine.start('storable', { n: 2 }),
    ]);
    const [one, broken, two] = handles.map((h) => h.result());
    await expect(broken).rejects.toMatchObject({ code: EngineErrorCode.RunFailed });
    await expect(one).resolves.toMatchObject({ output: 2 });
    await expect(two).resolves.toMatchObject({ output: 4 });
    const failed = await engine.get(handles[1]?.runId ?? '');
    expect(failed).toMatchObject({ status: 'failed' });
    expect(JSON.stringify(failed?.error)).toMatch(/circular/i);
    await engine.close();
  });

  it('retries a 5xx with exponential backoff on durable timers, then succeeds', async () => {
    let calls = 0;
    const recipe = oneStep('flaky', {
      retry: { maxAttempts: 4, initialIntervalMs: 1000, backoffFactor: 3, maxIntervalMs: 5000 },
      run: () => {
        calls++;
        if (calls < 4) throw httpError(503);
        return 'fine';
      },
    });
    const { engine, clock } = makeEngine(tempDbPath());
    engine.register(recipe);
    const delays: number[] = [];
    engine.on('step:retrying', (e) => delays.push(e.delayMs));
    const handle = await engine.start('flaky', {});
    await clock.advance(999);
    expect(calls).toBe(1);
    await clock.advance(1 + 3000 + 5000);
    await expect(handle.result()).resolves.toMatchObject({ output: 'fine' });
    expect(delays).toEqual([1000, 3000, 5000]);
    expect(await engine.steps(handle.runId)).toMatchObject([{ stepKey: 'work#1', status: 'succeeded', attempt: 4 }]);
    await engine.close();
  });

  it('does not retry a 4xx or a listed code, and feeds the error to the machine', async () => {
    let calls = 0;
    const recipe = oneStep('final', {
      retry: { maxAttempts: 5, nonRetryable: ['DUPLICATE'] },
      run: ({ input }) => {
        calls++;
        throw (input as { n: number }).n === 0
          ? httpError(404)
          : Object.assign(new Error('dup'), { code: 'DUPLICATE' });
      },
    });
    const { engine } = makeEngine(tempDbPath());
    engine.register(recipe);
    const failed = nextEvent(engine, 'step:failed');
    await expect((await engine.start('final', {})).result()).resolves.toMatchObject({
      type: 'xstate.error.actor.work',
      error: { status: 404 },
    });
    expect(await failed).toMatchObject({ attempt: 1, error: { message: 'HTTP 404' } });
    await expect((await engine.start('final', { n: 1 })).result()).resolves.toMatchObject({
      error: { code: 'DUPLICATE' },
    });
    expect(calls).toBe(2);
    await engine.close();
  });

  it('fails the run clearly when an error reaches a machine without onError', async () => {
    const recipe = defineRecipe({
      id: 'no-handler',
      version: 1,
      description: 'a step error nobody handles',
      input: z.object({}),
      machine: setup({ actors: { boom: stepActor() } }).createMachine({
        initial: 'a',
        states: { a: { invoke: { id: 'boom', src: 'boom', onDone: 'b' } }, b: { type: 'final' } },
      }),
      steps: { boom: { run: () => Promise.reject(new Error('kaput')) } },
    });
    const { engine } = makeEngine(tempDbPath());
    engine.register(recipe);
    const handle = await engine.start('no-handler', {});
    await expect(handle.result()).rejects.toMatchObject({ code: EngineErrorCode.RunFailed });
    expect((await engine.get(handle.runId))?.status).toBe('failed');
    await engine.close();
  });

  it('after an interrupted non-idempotent step: reconcile decides; without one, STEP_IN_DOUBT', async () => {
    const dbPath = tempDbPath();
    let effectDone = false;
    let runs = 0;
    const step: StepDefinition = {
      run: () =>
        new Promise((resolve) => {
          runs++;
          effectDone = true;
          release.push(() => resolve('late'));
        }),
    };
    const first = makeEngine(dbPath);
    first.engine.register(oneStep('doubt', step), oneStep('reconciled', step));
    const started = nextEvent(first.engine, 'step:started', (e) => e.attempt === 1);
    const doubtful = await first.engine.start('doubt', {});
    await started;
    const started2 = nextEvent(first.engine, 'step:started');
    const reconciled = await first.engine.start('reconciled', {});
    await started2;
    // The process "dies" with both steps in flight: their rows say started.
    await first.engine.close();

    const { engine, clock } = makeEngine(dbPath);
    const reconcileCalls: unknown[] = [];
    engine.register(
      oneStep('doubt', step),
      oneStep('reconciled', {
        ...step,
        reconcile: (ctx) => {
          reconcileCalls.push(ctx.input);
          return effectDone ? { done: true, output: 'was there' } : { done: false };
        },
      }),
    );
    const a = await engine.resume(doubtful.runId);
    const b = await engine.resume(reconciled.runId);
    // Nothing is decided before the interrupted attempts have settled: deadline (7.5 s, a quarter of
    // the default lease) + another 7.5 s for a request already sent + 100 ms of clock skew.
    await clock.advance(15_099);
    expect(reconcileCalls).toEqual([]);
    await clock.advance(1);
    await expect(a.result()).resolves.toMatchObject({
      type: 'xstate.error.actor.work',
      error: { code: EngineErrorCode.StepInDoubt },
    });
    await expect(b.result()).resolves.toMatchObject({ type: 'xstate.done.actor.work', output: 'was there' });
    expect(reconcileCalls).toEqual([{ n: 0 }]);
    expect(runs).toBe(2);
    expect((await engine.history(reconciled.runId)).at(-1)).toMatchObject({
      type: 'step.succeeded',
      payload: { replayed: true },
    });
    await engine.close();
  });

  it('re-runs an interrupted idempotent step', async () => {
    const dbPath = tempDbPath();
    let runs = 0;
    const step: StepDefinition = {
      idempotent: true,
      run: () =>
        new Promise((resolve) => {
          runs++;
          if (runs === 1) release.push(() => resolve('first try'));
          else resolve('second try');
        }),
    };
    const first = makeEngine(dbPath);
    first.engine.register(oneStep('idem', step));
    const started = nextEvent(first.engine, 'step:started');
    const { runId } = await first.engine.start('idem', {});
    await started;
    await first.engine.close();
    const { engine } = makeEngine(dbPath);
    engine.register(oneStep('idem', step));
    await expect((await engine.resume(runId)).result()).resolves.toMatchObject({ output: 'second try' });
    await engine.close();
  });

  it('never runs more steps at once than the concurrency limit', async () => {
    let running = 0;
    let peak = 0;
    const recipe = oneStep('busy', {
      idempotent: true,
      run: async () => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((resolve) => setTimeout(resolve, 5));
        running--;
        return 'ok';
      },
    });
    const { engine } = makeEngine(tempDbPath(), { concurrency: 2 });
    engine.register(recipe);
    const handles = await Promise.all(Array.from({ length: 8 }, () => engine.start('busy', {})));
    await Promise.all(handles.map((h) => h.result()));
    expect(peak).toBe(2);
    await engine.close();
  });

  it('aborts an in-flight step when the run is cancelled, and drops its late result', async () => {
    const { engine, handle, state } = await startBlocked('slow');
    expect((await engine.get(handle.runId))?.status).toBe('running');
    await engine.cancel(handle.runId);
    expect(state.aborted).toBe(true);
    for (const r of release) r();
    await expect(handle.result()).rejects.toMatchObject({ code: EngineErrorCode.RunCancelled });
    expect((await engine.get(handle.runId))?.status).toBe('cancelled');
    expect(await engine.steps(handle.runId)).toMatchObject([{ status: 'cancelled' }]);
    await engine.close();
  });

  it('cancels a step the machine leaves (an event moves it on)', async () => {
    const { engine, handle, state } = await startBlocked('left');
    await engine.send(handle.runId, { type: 'STOP' });
    expect(state.aborted).toBe(true);
    await expect(handle.result()).resolves.toMatchObject({ type: 'STOP' });
    expect(await engine.steps(handle.runId)).toMatchObject([{ status: 'cancelled' }]);
    await engine.close();
  });

  it('fans out to child runs that carry the parent id, once even if the step re-runs', async () => {
    const child = oneStep('child', { idempotent: true, run: ({ input }) => (input as { n: number }).n * 10 });
    let parentRuns = 0;
    const parent = oneStep('parent', {
      idempotent: true,
      run: async ({ children }) => {
        parentRuns++;
        const outputs = await Promise.all([1, 2, 3].map((n, index) => children.run('child', { n }, { index })));
        // Asking again (as a re-run after a crash would) finds the same children.
        await children.start('child', { n: 1 }, { index: 0 });
        return outputs.map((o) => (o as { output: number }).output);
      },
    });
    const { engine } = makeEngine(tempDbPath());
    engine.register(child, parent);
    const handle = await engine.start('parent', {});
    await expect(handle.result()).resolves.toMatchObject({ output: [10, 20, 30] });
    expect((await engine.list({ parentRunId: handle.runId })).map((r) => [r.recipeId, r.status])).toEqual([
      ['child', 'completed'],
      ['child', 'completed'],
      ['child', 'completed'],
    ]);
    expect(await engine.list()).toHaveLength(4);
    expect(parentRuns).toBe(1);
    await engine.close();
  });
});
