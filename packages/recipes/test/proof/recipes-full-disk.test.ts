import { rmSync } from 'node:fs';
import { canMountSmallDisk, fillDisk, mountSmallDisk, unmountSmallDisks } from '@fornex-flow/core/testing';
import Database from 'better-sqlite3';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { faultCases } from './fault-cases.js';
import { effectCounts, expectNoEffectTwice, startFaultKit } from './fault-world.js';
import { journal, personalTenant } from './mock-reads.js';

// The store's SQLite file on a real 4 MiB tmpfs, filled to the last byte in the middle of a run.
// Mounting needs root: elsewhere the suite says it skipped, except under CI, where it must run.
const canMount = canMountSmallDisk();
if (!canMount && process.env.CI) throw new Error('the full-disk suite must run under CI: mounting a tmpfs failed');
if (!canMount) console.warn('SKIPPED: recipes-full-disk needs to mount a tmpfs (root); it did not run here');
afterAll(unmountSmallDisks);

const diskSeed = 4_2026;
/** Steps a clean run of each case records (see fault-cases.ts); the disk fills after one of the first n - 1. */
const stepsOf: Record<string, number> = {
  'rotate-ssh-keys': 5,
  'reset-root-password': 4,
  'migrate-dns': 5,
  'safe-reboot': 4,
};

/**
 * Checkpoints the WAL into the database file and truncates it, so the next commit must grow the
 * WAL, then fills the disk: the very next write of the engine meets a full disk (SQLITE_FULL),
 * wherever the recipe stands. Synchronous, so it happens between two writes of the engine.
 */
function fillUnder(dbPath: string, dir: string): string {
  const db = new Database(dbPath);
  try {
    // The store's background checkpointer may hold the checkpoint lock for a moment: try again.
    for (let tries = 0; tries < 200; tries++) {
      const [row] = db.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
      if (row?.busy === 0) break;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  } finally {
    db.close();
  }
  return fillDisk(dir);
}

async function cleanOf(c: (typeof faultCases)[number]) {
  const kit = await startFaultKit();
  const end = await kit.finish(await kit.engine.start(c.id, c.input));
  expect(end.status).toBe('completed');
  return { state: c.state(await personalTenant(kit)), effects: effectCounts(await journal(kit)) };
}

/** Two seeded moments per recipe: the disk fills right after the n-th step succeeded. */
const moments = faultCases.flatMap((c, index) => {
  const [picked] = fc.sample(
    fc.uniqueArray(fc.integer({ min: 1, max: (stepsOf[c.id] ?? 2) - 1 }), { minLength: 2, maxLength: 2 }),
    { seed: diskSeed + index, numRuns: 1 },
  );
  return (picked ?? []).map((afterSteps) => ({ ...c, afterSteps }));
});

describe.skipIf(!canMount)('a full disk under the store, mid-run', () => {
  it.each(moments)(
    '$id, full after step $afterSteps: STORE_WRITE_FAILED, nothing lost, resumed once space is back to the end state of a clean run, no effect twice',
    async (c) => {
      const clean = await cleanOf(c);
      const { afterSteps } = c;
      const dir = mountSmallDisk(4096) as string;
      const kit = await startFaultKit({ dbDir: dir });
      const writeFailures: string[] = [];
      kit.engine.on('store:write-failed', (e) => writeFailures.push(e.error.message));
      let succeeded = 0;
      let filler: string | undefined;
      kit.engine.on('step:succeeded', () => {
        if (++succeeded === afterSteps) filler = fillUnder(kit.dbPath, dir);
      });
      const run = await kit.engine.start(c.id, c.input);
      let failure: unknown;
      const settled = run.result().then(
        () => 'completed',
        (error: unknown) => {
          failure = error;
          return 'failed';
        },
      );
      // Move time until the run stops (a poll's commit waits for its timer).
      for (let hops = 0; failure === undefined && hops < 200; hops++) {
        await kit.idle();
        const next = kit.clock.nextDeadline();
        if (failure !== undefined || next === undefined) break;
        await kit.advance(next - kit.clock.now());
      }
      expect(await settled, `filled after ${afterSteps} steps`).toBe('failed');
      expect(filler).toBeDefined();
      expect(failure).toMatchObject({ code: 'STORE_WRITE_FAILED', runId: run.runId });
      expect((failure as Error).message).toMatch(/SQLITE_FULL/);
      expect(writeFailures.some((message) => /SQLITE_FULL/.test(message))).toBe(true);

      // Nothing lost: the store still holds the run, not ended (running, or waiting for a timer), with
      // every step that succeeded before.
      expect(['running', 'waiting']).toContain((await kit.engine.get(run.runId))?.status);
      const kept = (await kit.engine.steps(run.runId)).filter((step) => step.status === 'succeeded');
      expect(kept.length).toBeGreaterThanOrEqual(afterSteps);

      // Space is back: a new engine takes the run over once the stopped one's lease expired.
      rmSync(filler as string);
      const engine = await kit.restart();
      const rerun: string[] = [];
      engine.on('step:started', ({ stepKey }) => rerun.push(stepKey));
      await kit.advance(31_000);
      await engine.resumeAll();
      expect(await kit.finish(run.runId)).toMatchObject({ status: 'completed' });
      // A step recorded as succeeded is never run again.
      expect(rerun.filter((key) => kept.some((step) => step.stepKey === key))).toEqual([]);

      expect(c.state(await personalTenant(kit))).toEqual(clean.state);
      expectNoEffectTwice(effectCounts(await journal(kit)), clean.effects);
    },
  );
});
