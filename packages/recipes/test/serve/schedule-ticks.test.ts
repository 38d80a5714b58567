import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createEngine, defineRecipe, type Engine } from '@fornex-flow/core';
import { sqliteScheduleStore, sqliteStore } from '@fornex-flow/sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { z } from 'zod';
import { fireDueSchedules, tickRunId } from '../../src/cli/engine/schedule-ticks.js';

const noop = defineRecipe({
  id: 'noop',
  version: 1,
  description: 'ends at once',
  input: z.object({ n: z.number() }),
  machine: createMachine({ initial: 'done', states: { done: { type: 'final' } } }),
  steps: {},
});

const MINUTE = 60_000;
const t0 = Date.UTC(2026, 0, 1, 12, 0, 0);
let dir: string;
const engines: Engine[] = [];
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

function world() {
  dir = mkdtempSync(path.join(tmpdir(), 'fornex-flow-schedule-'));
  const dbPath = path.join(dir, 'runs.db');
  const engine = () => {
    const e = createEngine({ store: sqliteStore({ path: dbPath }) });
    e.register(noop);
    engines.push(e);
    return e;
  };
  return { dbPath, engine };
}

describe('fireDueSchedules', () => {
  it('starts exactly one run per tick however many processes fire it', async () => {
    const { dbPath, engine } = world();
    const a = engine();
    const b = engine();
    const schedulesA = sqliteScheduleStore({ path: dbPath });
    const schedulesB = sqliteScheduleStore({ path: dbPath });
    schedulesA.add({
      id: 's1',
      recipeId: 'noop',
      cron: '*/5 * * * *',
      timeZone: null,
      inputJson: '{"n":1}',
      createdMs: t0,
      lastTickMs: null,
    });
    const warn = (line: string) => expect.fail(line);
    const now = t0 + 5 * MINUTE + 1000;
    // Both see the tick as due before either records it: the derived run id keeps it to one run.
    const [fromA, fromB] = await Promise.all([
      fireDueSchedules(a, schedulesA, () => true, now, warn),
      fireDueSchedules(b, schedulesB, () => true, now, warn),
    ]);
    expect(fromA).toEqual([tickRunId('s1', t0 + 5 * MINUTE)]);
    expect(fromB).toEqual(fromA);
    expect((await a.list()).map((r) => r.runId)).toEqual(fromA);
    // The same tick again starts nothing.
    expect(await fireDueSchedules(a, schedulesA, () => true, now + 1000, warn)).toEqual([]);
    schedulesA.close();
    schedulesB.close();
  });

  it('after downtime runs only the newest missed tick, and never a tick from before the schedule existed', async () => {
    const { dbPath, engine } = world();
    const e = engine();
    const schedules = sqliteScheduleStore({ path: dbPath });
    schedules.add({
      id: 's2',
      recipeId: 'noop',
      cron: '0 * * * * *',
      timeZone: 'Europe/Berlin',
      inputJson: '{"n":2}',
      createdMs: t0 + 30_000,
      lastTickMs: null,
    });
    const warn = (line: string) => expect.fail(line);
    expect(await fireDueSchedules(e, schedules, () => true, t0 + 50_000, warn)).toEqual([]);
    const started = await fireDueSchedules(e, schedules, () => true, t0 + 10 * MINUTE + 5_000, warn);
    expect(started).toEqual([tickRunId('s2', t0 + 10 * MINUTE)]);
    expect(schedules.get('s2')?.lastTickMs).toBe(t0 + 10 * MINUTE);
    schedules.close();
  });

  it('leaves a tick whose recipe this process lacks for another, and skips one whose input the recipe refuses', async () => {
    const { dbPath, engine } = world();
    const e = engine();
    const schedules = sqliteScheduleStore({ path: dbPath });
    schedules.add({
      id: 's3',
      recipeId: 'noop',
      cron: '* * * * *',
      timeZone: null,
      inputJson: '{"n":"x"}',
      createdMs: t0,
      lastTickMs: null,
    });
    expect(
      await fireDueSchedules(
        e,
        schedules,
        () => false,
        t0 + MINUTE,
        () => {},
      ),
    ).toEqual([]);
    expect(schedules.get('s3')?.lastTickMs).toBeNull();
    const warnings: string[] = [];
    expect(
      await fireDueSchedules(
        e,
        schedules,
        () => true,
        t0 + MINUTE,
        (l) => warnings.push(l),
      ),
    ).toEqual([]);
    expect(warnings.join('\n')).toMatch(/invalid input/);
    expect(schedules.get('s3')?.lastTickMs).toBe(t0 + MINUTE);
    schedules.close();
  });
});
