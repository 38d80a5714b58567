import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqliteStore } from '@fornex-flow/sqlite';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import {
  createEngine,
  createFakeClock,
  defineRecipe,
  type EngineEvents,
  RunStatus,
  stepActor,
} from '../../src/engine/index.js';
import { canMountSmallDisk, fillDisk, mountSmallDisk, unmountSmallDisks } from '../../src/testing/index.js';
import { nextEvent } from './helpers.js';

const storeChild = new URL('./fixtures/store-child.mjs', import.meta.url).pathname;

// A small tmpfs makes a real full disk (SQLITE_FULL). Mounting needs root (CAP_SYS_ADMIN); where it
// is not allowed the suite says so and skips.
const canMount = canMountSmallDisk();
if (!canMount) console.warn('store-faults: skipped the full-disk tests, mounting a tmpfs is not allowed here');

afterAll(unmountSmallDisks);

// A step whose output is larger than anything written before it (so its commit must grow the WAL),
// raced by a one-hour timeout: the timer row stays behind when the step's commit fails.
let release: (bytes: number) => void = () => {};
const bulky = defineRecipe({
  id: 'bulky',
  version: 1,
  description: 'one step with a large output, under a timeout',
  input: z.object({}),
  machine: setup({ actors: { bulky: stepActor<string, undefined>() } }).createMachine({
    id: 'bulky',
    initial: 'work',
    states: {
      work: { invoke: { id: 'bulky', src: 'bulky', onDone: 'done' }, after: { 3600000: 'timedOut' } },
      timedOut: { type: 'final' },
      done: { type: 'final' },
    },
    output: () => 'ok',
  }),
  steps: {
    bulky: {
      idempotent: true,
      run: () => new Promise<string>((resolve) => (release = (bytes) => resolve('x'.repeat(bytes)))),
    },
  },
});

describe.skipIf(!canMount)('store faults: a full disk', () => {
  it('rejects the affected run with STORE_WRITE_FAILED, emits an event, never crashes the host, closes, and the run resumes once space is back', async () => {
    const dir = mountSmallDisk(4096) as string;
    const dbPath = path.join(dir, 'runs.db');
    const clock = createFakeClock(1_000_000);
    const engine = createEngine({ store: sqliteStore({ path: dbPath }), clock, takeoverIntervalMs: 0 });
    engine.register(bulky);
    const failures: EngineEvents['store:write-failed'][] = [];
    engine.on('store:write-failed', (e) => failures.push(e));

    const started = nextEvent(engine, 'step:started');
    const run = await engine.start('bulky', {});
    await started;
    const filler = fillDisk(dir);
    release(2 * 1024 * 1024);

    const error = await run.result().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'STORE_WRITE_FAILED', runId: run.runId });
    expect((error as Error).message).toMatch(/SQLITE_FULL/);
    expect(failures.some((e) => e.runIds.includes(run.runId) && /SQLITE_FULL/.test(e.error.message))).toBe(true);

    // The timeout falls due while the disk is still full: the scheduler must not throw out of its timer.
    await clock.advance(3_600_000);
    expect(await engine.get(run.runId)).toMatchObject({ status: RunStatus.Running, state: 'work' });

    expect(failures.map((e) => e.operation)).toContain('deliver timers');
    await engine.close(); // releasing the lease fails (full disk); the store is closed anyway
    await expect(engine.get(run.runId)).rejects.toThrow(/not open/);

    // Space is back: another engine takes the run over once its lease expired (the last renewal was
    // at most 30 s before the first engine's clock stopped) and finishes it. Its fake clock is never
    // advanced, so the due timeout is not delivered before the step's result.
    fs.rmSync(filler);
    const later = createEngine({
      store: sqliteStore({ path: dbPath }),
      clock: createFakeClock(clock.now() + 31_000),
      takeoverIntervalMs: 0,
    });
    later.register(bulky);
    const { resumed, failed } = await later.resumeAll();
    expect(failed).toEqual([]);
    expect(resumed.map((h) => h.runId)).toEqual([run.runId]);
    await new Promise((resolve) => setImmediate(resolve));
    release(16);
    await expect(resumed[0]?.result()).resolves.toBe('ok');
    expect(await later.get(run.runId)).toMatchObject({ status: RunStatus.Completed, state: 'done' });
    await later.close();
  });
});

// Root writes any file whatever its mode, so the read-only case runs the engine in a child process
// as an unprivileged user (nobody) on a file it may read but not write: a real SQLITE_READONLY.
const isRoot = process.getuid?.() === 0;
if (!isRoot) console.warn('store-faults: skipped the read-only file test, it needs root to run a child as nobody');

describe.skipIf(!isRoot)('store faults: a read-only file', () => {
  it('reports STORE_WRITE_FAILED for the calls that write, leaves the run as stored, and exits cleanly', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-readonly-'));
    const dbPath = path.join(dir, 'runs.db');
    const child = (mode: string, uid?: number) => {
      const result = spawnSync(process.execPath, [storeChild], {
        env: { ...process.env, DB_PATH: dbPath, MODE: mode },
        encoding: 'utf8',
        ...(uid === undefined ? {} : { uid, gid: uid }),
      });
      expect(result.status, result.stderr).toBe(0);
      return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? '');
    };
    const { runId } = child('create');
    // Fold the WAL into the file and drop it (the last connection to close does), then make the file read-only.
    const db = new Database(dbPath);
    db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    fs.chmodSync(dbPath, 0o444);
    // The directory stays writable (SQLite keeps its -shm there to read a WAL database); the file is not.
    fs.chmodSync(dir, 0o777);
    const before = fs.readFileSync(dbPath);

    const seen = child('readonly', 65534);
    expect(seen.resumed).toBe(0);
    expect(seen.failed).toEqual([
      { runId, code: 'STORE_WRITE_FAILED', message: expect.stringMatching(/SQLITE_READONLY/) },
    ]);
    expect(seen.start).toMatchObject({
      ok: false,
      code: 'STORE_WRITE_FAILED',
      message: expect.stringMatching(/SQLITE_READONLY/),
    });
    expect(seen.close).toEqual({ ok: true });
    expect(seen.failures).toContain('commit');
    expect(fs.readFileSync(dbPath).equals(before)).toBe(true);
  });
});
