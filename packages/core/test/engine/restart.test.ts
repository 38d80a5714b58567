import { sqliteStore } from '@fornex-flow/sqlite';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, createFakeClock, defineRecipe, EngineErrorCode, RunStatus } from '../../src/engine/index.js';
import { effects, makeEngine, nextEvent, sleepyRecipe, tempDbPath } from './helpers.js';

afterEach(() => effects.clear());

const start = 1_000_000;

/** Starts a sleepy run in a first engine, waits until it sleeps on its timer, and closes that engine. */
async function sleepingRun(dbPath: string, name: string): Promise<string> {
  const first = makeEngine(dbPath);
  first.engine.register(sleepyRecipe);
  const waiting = nextEvent(first.engine, 'run:waiting');
  const { runId } = await first.engine.start('sleepy', { name });
  await waiting;
  await first.engine.close();
  return runId;
}

describe('restart: durable timers, versions, corrupt rows', () => {
  it('keeps the remaining time of a timer across a restart (fake clock)', async () => {
    const dbPath = tempDbPath();
    const first = makeEngine(dbPath);
    first.engine.register(sleepyRecipe);
    const waiting = nextEvent(first.engine, 'run:waiting');
    const timerSet = nextEvent(first.engine, 'timer:set');
    const { runId } = await first.engine.start('sleepy', { name: 't' });
    await waiting;
    expect((await timerSet).deadlineMs).toBe(start + 60_000);
    await first.clock.advance(20_000);
    await first.engine.close();

    // The process was down for 5 s: 35 s of the minute are left.
    const clock = createFakeClock(start + 25_000);
    const engine = createEngine({ store: sqliteStore({ path: dbPath }), clock });
    engine.register(sleepyRecipe);
    const { resumed, failed } = await engine.resumeAll();
    expect(failed).toEqual([]);
    expect(resumed.map((h) => h.runId)).toEqual([runId]);
    await clock.advance(34_999);
    expect(effects.get('second')).toBeUndefined();
    expect((await engine.get(runId))?.status).toBe(RunStatus.Waiting);
    await clock.advance(1);
    await expect(resumed[0]?.result()).resolves.toEqual({ first: 'hello t', second: 'bye t' });
    expect(effects.get('first')).toBe(1);
    await engine.close();
  });

  it('fires a timer whose deadline passed while the process was down, at once', async () => {
    const dbPath = tempDbPath();
    const runId = await sleepingRun(dbPath, 'late');
    const clock = createFakeClock(start + 3_600_000);
    const engine = createEngine({ store: sqliteStore({ path: dbPath }), clock });
    engine.register(sleepyRecipe);
    const handle = await engine.resume(runId);
    await clock.advance(0);
    await expect(handle.result()).resolves.toMatchObject({ second: 'bye late' });
    await engine.close();
  });

  it('refuses to resume under an unregistered version, leaving the run untouched', async () => {
    const dbPath = tempDbPath();
    const runId = await sleepingRun(dbPath, 'v');

    const v2 = defineRecipe({ ...sleepyRecipe, version: 2 });
    const { engine, clock } = makeEngine(dbPath);
    engine.register(v2);
    const before = {
      run: await engine.get(runId),
      history: await engine.history(runId),
      steps: await engine.steps(runId),
    };
    await expect(engine.resume(runId)).rejects.toMatchObject({
      code: EngineErrorCode.RecipeVersionNotRegistered,
      message: expect.stringMatching(/sleepy version 1.*registered versions: 2/),
    });
    const { failed } = await engine.resumeAll();
    expect(failed.map((f) => f.error.code)).toEqual([EngineErrorCode.RecipeVersionNotRegistered]);
    expect({
      run: await engine.get(runId),
      history: await engine.history(runId),
      steps: await engine.steps(runId),
    }).toEqual(before);

    // New runs use the newest version; registering the old one again lets the old run finish.
    const fresh = await engine.start('sleepy', { name: 'new' });
    expect((await engine.get(fresh.runId))?.recipeVersion).toBe('2');
    engine.register(sleepyRecipe);
    const handle = await engine.resume(runId);
    await clock.advance(60_000);
    await expect(handle.result()).resolves.toMatchObject({ second: 'bye v' });
    await engine.close();
  });

  it('reports a corrupt snapshot row as CORRUPT_RUN and leaves it for a human', async () => {
    const dbPath = tempDbPath();
    const runId = await sleepingRun(dbPath, 'c');
    const db = new Database(dbPath);
    // The current snapshot is the newest one in the run's history.
    const corrupted = db
      .prepare(`UPDATE history SET snapshot_json = ? WHERE run_id = ? AND seq =
        (SELECT max(seq) FROM history WHERE run_id = ? AND snapshot_json IS NOT NULL)`)
      .run('{"value": "sleeping", "context": tru', runId, runId);
    expect(corrupted.changes).toBe(1);
    db.close();

    const { engine } = makeEngine(dbPath);
    engine.register(sleepyRecipe);
    await expect(engine.resume(runId)).rejects.toMatchObject({
      code: EngineErrorCode.CorruptRun,
      runId,
      message: expect.stringContaining('snapshot'),
    });
    expect(await engine.get(runId)).toMatchObject({ status: RunStatus.Waiting, leaseOwner: null });
    await expect(engine.resume('no-such-run')).rejects.toMatchObject({ code: EngineErrorCode.RunNotFound });
    await engine.close();
  });
});
