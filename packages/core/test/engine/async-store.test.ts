import { sqliteStore } from '@fornex-flow/sqlite';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import {
  createEngine,
  createFakeClock,
  defineRecipe,
  RunStatus,
  type StoreWrite,
  type SyncWorkflowStore,
  stepActor,
  type WorkflowStore,
} from '../../src/engine/index.js';
import { describeStoreConformance } from '../../src/testing/index.js';
import { effects, nextEvent, sleepyRecipe, tempDbPath } from './helpers.js';

afterEach(() => effects.clear());

/**
 * The real SQLite store behind promises: every answer arrives a macrotask later, as a network
 * store's would. What the engine must handle for PostgreSQL (issue 11), on the store we have.
 */
function behindPromises(store: SyncWorkflowStore, batches: StoreWrite[][] = []): WorkflowStore {
  const later =
    <A extends unknown[], R>(method: (...args: A) => R) =>
    (...args: A) =>
      new Promise<R>((resolve, reject) =>
        setImmediate(() => {
          try {
            resolve(method(...args));
          } catch (error) {
            reject(error);
          }
        }),
      );
  const wrapped = Object.fromEntries(
    Object.entries(store).map(([name, method]) => [
      name,
      later((method as (...args: unknown[]) => unknown).bind(store)),
    ]),
  ) as unknown as WorkflowStore;
  const writeBatch = wrapped.writeBatch;
  wrapped.writeBatch = (writes) => {
    batches.push([...writes]);
    return writeBatch(writes);
  };
  return wrapped;
}

describeStoreConformance('sqliteStore behind promises', () => {
  const path = tempDbPath();
  const tamper = (sql: string, ...params: unknown[]) => {
    const db = new Database(path);
    db.prepare(sql).run(...params);
    db.close();
  };
  return {
    store: behindPromises(sqliteStore({ path })),
    corruptJournal: (runId) => tamper(`UPDATE history SET steps_json = '{"n":[' WHERE run_id = ?`, runId),
    setRawStatus: (runId, status) => tamper('UPDATE runs SET status = ? WHERE id = ?', status, runId),
  };
});

// Three steps that are not idempotent: each writes its `started` marker before its effect.
const careful = defineRecipe({
  id: 'careful',
  version: 1,
  description: 'three non-idempotent steps in a row',
  input: z.object({ n: z.number() }),
  machine: setup({ actors: { work: stepActor<string, undefined>() } }).createMachine({
    id: 'careful',
    initial: 'a',
    states: {
      a: { invoke: { id: 'a', src: 'work', onDone: 'b' } },
      b: { invoke: { id: 'b', src: 'work', onDone: 'c' } },
      c: { invoke: { id: 'c', src: 'work', onDone: 'done' } },
      done: { type: 'final' },
    },
    output: () => 'ok',
  }),
  steps: {
    work: {
      run: ({ runId, stepKey }) => {
        const key = `${runId}:${stepKey}`;
        effects.set(key, (effects.get(key) ?? 0) + 1);
        return stepKey;
      },
    },
  },
});

/** A sleepy run left asleep on its timer by a closed engine, and a new engine (not resumed yet) on the same file. */
async function asleepThenRestarted() {
  const dbPath = tempDbPath();
  const first = createEngine({ store: behindPromises(sqliteStore({ path: dbPath })), clock: createFakeClock(0) });
  first.register(sleepyRecipe);
  const waiting = nextEvent(first, 'run:waiting');
  const { runId } = await first.start('sleepy', { name: 'r' });
  await waiting;
  await first.close();
  const clock = createFakeClock(1_000);
  const second = createEngine({ store: behindPromises(sqliteStore({ path: dbPath })), clock });
  second.register(sleepyRecipe);
  return { runId, second, clock };
}

describe('the engine on an asynchronous store', () => {
  it('drives concurrent runs through timers and non-idempotent steps, group-committing while a batch is in flight', async () => {
    const dbPath = tempDbPath();
    const batches: StoreWrite[][] = [];
    const clock = createFakeClock(0);
    const engine = createEngine({ store: behindPromises(sqliteStore({ path: dbPath }), batches), clock });
    engine.register(sleepyRecipe, careful);
    const sleepers = await Promise.all(Array.from({ length: 10 }, (_, i) => engine.start('sleepy', { name: `s${i}` })));
    const carefuls = await Promise.all(Array.from({ length: 10 }, (_, n) => engine.start('careful', { n })));
    await expect(Promise.all(carefuls.map((h) => h.result()))).resolves.toEqual(Array(10).fill('ok'));
    const stepEffects = [...effects.entries()].filter(([key]) => key.includes('#'));
    expect(stepEffects).toHaveLength(30);
    expect(stepEffects.every(([, count]) => count === 1)).toBe(true);
    await clock.advance(60_000);
    const outputs = await Promise.all(sleepers.map((h) => h.result()));
    expect(outputs[3]).toEqual({ first: 'hello s3', second: 'bye s3' });
    expect(await engine.list({ status: RunStatus.Completed })).toHaveLength(20);
    // Writes queued while a batch was in flight went out together.
    expect(Math.max(...batches.map((batch) => batch.length))).toBeGreaterThan(1);
    await engine.close();
  });

  it('resumes after a restart: a run asleep on its timer finishes under a new engine', async () => {
    const { runId, second, clock } = await asleepThenRestarted();
    const { resumed, failed } = await second.resumeAll();
    expect(failed).toEqual([]);
    await clock.advance(60_000);
    await expect(resumed[0]?.result()).resolves.toEqual({ first: 'hello r', second: 'bye r' });
    expect(effects.get('first')).toBe(1);
    expect(await second.get(runId)).toMatchObject({ status: RunStatus.Completed });
    await second.close();
  });

  it('resumes of one run asked for at once (resume, resumeAll, the sweep) build one driver: each effect once', async () => {
    const { runId, second, clock } = await asleepThenRestarted();
    const failures: string[] = [];
    second.on('store:write-failed', (e) => failures.push(e.error.message));
    const handles = await Promise.all([second.resume(runId), second.resume(runId), second.resumeAll()]);
    await clock.advance(60_000);
    await expect(handles[0].result()).resolves.toEqual({ first: 'hello r', second: 'bye r' });
    expect(effects.get('second')).toBe(1);
    expect(failures).toEqual([]);
    expect(await second.get(runId)).toMatchObject({ status: RunStatus.Completed });
    await second.close();
  });

  it('a rejected batch (a lost connection) rejects its writers with STORE_WRITE_FAILED; the next batches go through', async () => {
    const store = behindPromises(sqliteStore({ path: tempDbPath() }));
    const writeBatch = store.writeBatch;
    let failNext = false;
    store.writeBatch = (writes) => {
      if (!failNext) return writeBatch(writes);
      failNext = false;
      return Promise.reject(Object.assign(new Error('connection reset by peer'), { code: 'ECONNRESET' }));
    };
    const engine = createEngine({ store, clock: createFakeClock(0), takeoverIntervalMs: 0 });
    engine.register(sleepyRecipe);
    const failures: string[] = [];
    engine.on('store:write-failed', (e) => failures.push(e.error.message));
    failNext = true;
    await expect(engine.start('sleepy', { name: 'x' })).rejects.toMatchObject({
      code: 'STORE_WRITE_FAILED',
      message: expect.stringContaining('ECONNRESET: connection reset by peer'),
    });
    expect(failures).toHaveLength(1);
    expect(await engine.list()).toEqual([]);
    const ok = await engine.start('sleepy', { name: 'y' });
    expect(await engine.get(ok.runId)).toMatchObject({ status: expect.stringMatching(/running|waiting/) });
    await engine.close();
  });

  it('a failed write while a non-idempotent effect may be under way: the lease is kept until it expires, and nobody resumes the run before', async () => {
    let release: () => void = () => {};
    let quickGo: () => void = () => {};
    const twoWays = defineRecipe({
      id: 'two-ways',
      version: 1,
      description: 'a quick step and a slow, non-idempotent one, in parallel',
      input: z.object({}),
      machine: setup({
        actors: { quick: stepActor<string, undefined>(), slow: stepActor<string, undefined>() },
      }).createMachine({
        id: 'two-ways',
        type: 'parallel',
        states: {
          a: { initial: 'x', states: { x: { invoke: { id: 'quick', src: 'quick', onDone: 'y' } }, y: {} } },
          b: { initial: 'x', states: { x: { invoke: { id: 'slow', src: 'slow', onDone: 'y' } }, y: {} } },
        },
      }),
      steps: {
        quick: { idempotent: true, run: () => new Promise<string>((resolve) => (quickGo = () => resolve('quick'))) },
        slow: { run: () => new Promise<string>((resolve) => (release = () => resolve('slow'))) },
      },
    });
    const store = behindPromises(sqliteStore({ path: tempDbPath() }));
    const writeBatch = store.writeBatch;
    let failing = false;
    store.writeBatch = (writes) =>
      failing
        ? Promise.reject(Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' }))
        : writeBatch(writes);
    const clock = createFakeClock(0);
    const leaseMs = 10_000;
    const engine = createEngine({ store, clock, leaseMs });
    engine.register(twoWays);
    engine.on('store:write-failed', () => {});
    const slowStarted = nextEvent(engine, 'step:started', (e) => e.step === 'slow');
    const handle = await engine.start('two-ways', {});
    await slowStarted;
    failing = true; // the quick step's result cannot be written while the slow effect is under way
    quickGo();
    await expect(handle.result()).rejects.toMatchObject({ code: 'STORE_WRITE_FAILED' });
    failing = false;
    // The slow POST may still land: the lease stays this engine's, and the sweep waits out the lease.
    await clock.advance(leaseMs - 1_000);
    expect(await engine.get(handle.runId)).toMatchObject({ leaseOwner: expect.stringMatching(/^engine-/) });
    expect(await engine.steps(handle.runId)).toContainEqual(
      expect.objectContaining({ step: 'slow', status: 'started' }),
    );
    const resumed = nextEvent(engine, 'step:failed', (e) => e.runId === handle.runId);
    await clock.advance(2_000);
    // Taken up again after the lease: the slow step is in doubt (no reconcile), never run twice.
    expect((await resumed).error).toMatchObject({ code: 'STEP_IN_DOUBT' });
    release();
    await engine.close();
  });
});
