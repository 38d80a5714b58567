import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { sqliteStore } from '@fornex-flow/sqlite';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import { createEngine, createFakeClock, defineRecipe, RunStatus } from '../../src/engine/index.js';
import { effects, nextEvent, sleepyRecipe, tempDbPath } from './helpers.js';

afterEach(() => effects.clear());

const leaseMs = 10_000;

function engineOn(dbPath: string, nowMs: number, ownerId: string) {
  const clock = createFakeClock(nowMs);
  const engine = createEngine({ store: sqliteStore({ path: dbPath }), clock, leaseMs, ownerId });
  engine.register(sleepyRecipe);
  return { engine, clock };
}

/** A sleepy run asleep on its 60 s timer, left by an engine that then "died" (never closed, its clock frozen). */
async function orphanedRun(dbPath: string) {
  const dead = engineOn(dbPath, 0, 'engine-dead');
  const waiting = nextEvent(dead.engine, 'run:waiting');
  const { runId } = await dead.engine.start('sleepy', { name: 'r' });
  await waiting;
  return runId;
}

/** Edits the database behind the engine's back, as a damaged file or a bad migration would. */
function tamper(dbPath: string, sql: string, ...params: unknown[]) {
  const db = new Database(dbPath);
  db.prepare(sql).run(...params);
  db.close();
}

describe('recovery after a crash', () => {
  it('resumeAll() says which runs a live lease holds, by whom and until when', async () => {
    const dbPath = tempDbPath();
    const runId = await orphanedRun(dbPath);
    const b = engineOn(dbPath, 1_000, 'engine-b');
    const { resumed, failed } = await b.engine.resumeAll();
    expect(resumed).toEqual([]);
    expect(failed).toHaveLength(1);
    expect(failed[0]?.runId).toBe(runId);
    expect(failed[0]?.error).toMatchObject({
      code: 'RUN_LEASED',
      details: { leaseOwner: 'engine-dead', leaseExpiresMs: leaseMs },
    });
    expect(failed[0]?.error.message).toContain(`engine-dead until ${new Date(leaseMs).toISOString()}`);
    await b.engine.close();
  });

  it('an engine that stays up takes a dead owner’s run over by itself, within a second of the lease expiring', async () => {
    const dbPath = tempDbPath();
    const runId = await orphanedRun(dbPath);
    const b = engineOn(dbPath, 1_000, 'engine-b');
    await b.clock.advance(leaseMs - 1_000); // up to the expiry: still the dead owner's
    expect((await b.engine.get(runId))?.leaseOwner).toBe('engine-dead');
    await b.clock.advance(1_001); // no resume called: the sweep does it
    expect((await b.engine.get(runId))?.leaseOwner).toBe('engine-b');
    const completed = nextEvent(b.engine, 'run:completed', (e) => e.runId === runId);
    await b.clock.advance(60_000);
    expect((await completed).output).toEqual({ first: 'hello r', second: 'bye r' });
    expect(effects.get('second')).toBe(1);
    await b.engine.close();
  });
});

// The same recipe as fixtures/store-child.mjs's (id, version and machine), napping 1.5 s.
const nap = defineRecipe({
  id: 'nap',
  version: 1,
  description: 'sleeps a little',
  input: z.object({}),
  machine: setup({}).createMachine({
    id: 'nap',
    initial: 'napping',
    states: { napping: { after: { 1500: 'done' } }, done: { type: 'final' } },
  }),
  steps: {},
});

describe('recovery across processes', () => {
  it('a process SIGKILLed mid-run: an engine that stays up takes the run over by itself and finishes it', async () => {
    const dbPath = tempDbPath();
    const child = spawn(process.execPath, [new URL('./fixtures/store-child.mjs', import.meta.url).pathname], {
      env: { ...process.env, DB_PATH: dbPath, MODE: 'orphan', NAP_MS: '1500', LEASE_MS: '600' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [line] = await createInterface({ input: child.stdout })
      [Symbol.asyncIterator]()
      .next()
      .then((r) => [r.value]);
    const { runId } = JSON.parse(line as string) as { runId: string };
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    // Real clock: the engine is told nothing but to exist; its sweep finds the expired lease.
    const engine = createEngine({ store: sqliteStore({ path: dbPath }), leaseMs: 600 });
    engine.register(nap);
    const takenOver = nextEvent(engine, 'run:waiting', (e) => e.runId === runId);
    const completed = nextEvent(engine, 'run:completed', (e) => e.runId === runId);
    await takenOver;
    await completed;
    expect(await engine.get(runId)).toMatchObject({ status: RunStatus.Completed, leaseOwner: null });
    await engine.close();
  }, 20_000);
});

describe('corrupt rows', () => {
  it('a timer payload that does not parse: CORRUPT_RUN at resume, the run left as stored and its lease released', async () => {
    const dbPath = tempDbPath();
    const a = engineOn(dbPath, 0, 'engine-a');
    const waiting = nextEvent(a.engine, 'run:waiting');
    const { runId } = await a.engine.start('sleepy', { name: 't' });
    await waiting;
    await a.engine.close();
    tamper(dbPath, `UPDATE timers SET payload_json = '{"type":' WHERE run_id = ?`, runId);

    const b = engineOn(dbPath, 0, 'engine-b');
    const before = await b.engine.history(runId);
    await expect(b.engine.resume(runId)).rejects.toMatchObject({ code: 'CORRUPT_RUN', runId });
    await b.clock.advance(120_000);
    expect(await b.engine.get(runId)).toMatchObject({ status: RunStatus.Waiting, state: 'sleeping', leaseOwner: null });
    expect(await b.engine.history(runId)).toEqual(before);
    expect(effects.get('second')).toBeUndefined();
    await b.engine.close();
  });

  it('a journal entry naming a step the recipe does not have: CORRUPT_RUN, not a run that hangs', async () => {
    const dbPath = tempDbPath();
    const a = engineOn(dbPath, 0, 'engine-a');
    const waiting = nextEvent(a.engine, 'run:waiting');
    const { runId } = await a.engine.start('sleepy', { name: 'u' });
    await waiting;
    await a.engine.close();
    tamper(
      dbPath,
      `INSERT INTO history (run_id, seq, at_ms, type, payload_json, steps_json)
       SELECT run_id, max(seq) + 1, 0, 'event', 'null', '{"n":[["ghost#1","ghost","null"]]}' FROM history WHERE run_id = ?`,
      runId,
    );
    const b = engineOn(dbPath, 0, 'engine-b');
    await expect(b.engine.resume(runId)).rejects.toMatchObject({ code: 'CORRUPT_RUN', runId });
    expect(await b.engine.get(runId)).toMatchObject({ status: RunStatus.Waiting, leaseOwner: null });
    await b.engine.close();
  });

  it('a journal that does not parse: CORRUPT_RUN, and the lease taken for the resume is released', async () => {
    const dbPath = tempDbPath();
    const a = engineOn(dbPath, 0, 'engine-a');
    const waiting = nextEvent(a.engine, 'run:waiting');
    const { runId } = await a.engine.start('sleepy', { name: 'j' });
    await waiting;
    await a.engine.close();
    tamper(dbPath, `UPDATE history SET steps_json = '{"n":[' WHERE run_id = ? AND steps_json IS NOT NULL`, runId);
    const b = engineOn(dbPath, 0, 'engine-b');
    await expect(b.engine.resume(runId)).rejects.toMatchObject({ code: 'CORRUPT_RUN', runId });
    expect((await b.engine.get(runId))?.leaseOwner).toBeNull();
    await b.engine.close();
  });

  it('a run with a status the engine does not know is reported by resumeAll(), not skipped', async () => {
    const dbPath = tempDbPath();
    const a = engineOn(dbPath, 0, 'engine-a');
    const waiting = nextEvent(a.engine, 'run:waiting');
    const { runId } = await a.engine.start('sleepy', { name: 's' });
    await waiting;
    await a.engine.close();
    tamper(dbPath, `UPDATE runs SET status = 'paused' WHERE id = ?`, runId);
    const b = engineOn(dbPath, 0, 'engine-b');
    const { resumed, failed } = await b.engine.resumeAll();
    expect(resumed).toEqual([]);
    expect(failed).toEqual([{ runId, error: expect.objectContaining({ code: 'CORRUPT_RUN' }) }]);
    expect(failed[0]?.error.message).toContain('unknown run status "paused"');
    await b.engine.close();
  });
});

describe('idempotent starts', () => {
  it('run.result() of a machine without output is undefined on the first start and on a repeated one', async () => {
    const silent = defineRecipe({
      id: 'silent',
      version: 1,
      description: 'ends at once, with no output',
      input: z.object({}),
      machine: setup({}).createMachine({ id: 'silent', initial: 'done', states: { done: { type: 'final' } } }),
      steps: {},
    });
    const engine = createEngine({ store: sqliteStore({ path: tempDbPath() }), clock: createFakeClock(0) });
    engine.register(silent);
    const first = await engine.start('silent', {}, { idempotencyKey: 'k' });
    const again = await engine.start('silent', {}, { idempotencyKey: 'k' });
    expect(again.runId).toBe(first.runId);
    expect(await first.result()).toBeUndefined();
    expect(await again.result()).toBeUndefined();
    await engine.close();
  });
});
