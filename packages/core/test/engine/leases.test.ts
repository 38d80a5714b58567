import { sqliteStore } from '@fornex-flow/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngine, createFakeClock, EngineErrorCode, RunStatus } from '../../src/engine/index.js';
import { effects, nextEvent, sleepyRecipe, tempDbPath } from './helpers.js';

afterEach(() => effects.clear());

const leaseMs = 10_000;

function engineOn(dbPath: string, nowMs: number, ownerId: string) {
  const clock = createFakeClock(nowMs);
  const engine = createEngine({ store: sqliteStore({ path: dbPath }), clock, leaseMs, ownerId });
  engine.register(sleepyRecipe);
  return { engine, clock };
}

describe('leases: two engines on one database', () => {
  it('never runs a run another engine leases, and takes it over once the lease expired', async () => {
    const dbPath = tempDbPath();
    const a = engineOn(dbPath, 0, 'engine-a');
    const b = engineOn(dbPath, 0, 'engine-b');
    const waiting = nextEvent(a.engine, 'run:waiting');
    const { runId } = await a.engine.start('sleepy', { name: 'l' });
    await waiting;
    expect(await b.engine.get(runId)).toMatchObject({ leaseOwner: 'engine-a', leaseExpiresMs: leaseMs });

    // A renews while alive: B sees the lease pushed forward and can take nothing.
    await a.clock.advance(leaseMs);
    expect((await b.engine.get(runId))?.leaseExpiresMs).toBeGreaterThan(leaseMs);
    await expect(b.engine.resume(runId)).rejects.toMatchObject({ code: EngineErrorCode.RunLeased });
    await expect(b.engine.send(runId, { type: 'WAKE' })).rejects.toMatchObject({ code: EngineErrorCode.RunLeased });
    expect((await b.engine.resumeAll()).resumed).toEqual([]);
    expect(effects.get('second')).toBeUndefined();

    // A stops renewing (its clock is frozen, as if the process hung); past expiry B takes the run over.
    await b.clock.advance(leaseMs * 3);
    const { resumed } = await b.engine.resumeAll();
    expect(resumed.map((h) => h.runId)).toEqual([runId]);
    expect((await b.engine.get(runId))?.leaseOwner).toBe('engine-b');

    // A wakes up and tries to move the run: its commit is refused, no effect runs.
    await expect(a.engine.send(runId, { type: 'WAKE' })).rejects.toMatchObject({ code: EngineErrorCode.LeaseLost });
    expect(effects.get('second')).toBeUndefined();
    expect(await a.engine.get(runId)).toMatchObject({ status: RunStatus.Waiting, leaseOwner: 'engine-b' });

    await b.engine.send(runId, { type: 'WAKE' });
    await expect(resumed[0]?.result()).resolves.toMatchObject({ second: 'bye l' });
    expect(effects.get('second')).toBe(1);
    await a.engine.close();
    await b.engine.close();
  });

  it('hands runs over at close: the second engine resumes them at once', async () => {
    const dbPath = tempDbPath();
    const a = engineOn(dbPath, 0, 'engine-a');
    const b = engineOn(dbPath, 0, 'engine-b');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      const waiting = nextEvent(a.engine, 'run:waiting');
      ids.push((await a.engine.start('sleepy', { name: `n${i}` })).runId);
      await waiting;
    }
    expect((await b.engine.resumeAll()).resumed).toEqual([]);
    await a.engine.close();
    const { resumed } = await b.engine.resumeAll();
    expect(resumed.map((h) => h.runId).sort()).toEqual([...ids].sort());
    await b.clock.advance(60_000);
    await Promise.all(resumed.map((h) => h.result()));
    expect(await b.engine.list({ status: RunStatus.Completed })).toHaveLength(5);
    expect(effects.get('first')).toBe(5);
    expect(effects.get('second')).toBe(5);
    await b.engine.close();
  });
});
