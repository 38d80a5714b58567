import { createEngine, createFakeClock, defineRecipe, type Engine, RunStatus, stepActor } from '@fornex-flow/core';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { postgresStore } from '../src/postgres-store.js';
import { dropSchema, freshSchema, pgUrl } from './pg-url.js';

// The engine's storage semantics on PostgreSQL, end to end: what the conformance suite checks
// row by row, here through the engine (timers, steps in doubt, leases and takeover, idempotency
// keys, restart, corrupt rows). The SQLite side of each is in packages/core/test/engine.
const url = pgUrl();
const schemas: string[] = [];
const effects = new Map<string, number>();
const count = (key: string) => effects.set(key, (effects.get(key) ?? 0) + 1);

const sleepy = defineRecipe({
  id: 'sleepy',
  version: 1,
  description: 'a step, a durable one-minute timer, a step that is not idempotent',
  input: z.object({ name: z.string() }),
  machine: setup({
    types: { input: {} as { name: string }, context: {} as { name: string; first?: string } },
    actors: { first: stepActor<string, { name: string }>(), second: stepActor<string, { name: string }>() },
  }).createMachine({
    id: 'sleepy',
    context: ({ input }) => ({ name: input.name }),
    initial: 'first',
    states: {
      first: {
        invoke: {
          id: 'first',
          src: 'first',
          input: ({ context }) => ({ name: context.name }),
          onDone: { target: 'sleeping', actions: assign({ first: ({ event }) => event.output }) },
        },
      },
      sleeping: { after: { 60000: 'second' } },
      second: {
        invoke: { id: 'second', src: 'second', input: ({ context }) => ({ name: context.name }), onDone: 'done' },
      },
      done: { type: 'final' },
    },
    output: ({ context }) => ({ first: context.first }),
  }),
  steps: {
    first: {
      idempotent: true,
      run: ({ input }) => {
        count(`first:${input.name}`);
        return `hello ${input.name}`;
      },
    },
    second: {
      reconcile: () => ({ done: false }),
      run: ({ input }) => {
        count(`second:${input.name}`);
        return `bye ${input.name}`;
      },
    },
  },
});

function engineOn(schema: string, clock = createFakeClock(1_000_000), ownerId?: string, leaseMs = 10_000): Engine {
  const engine = createEngine({
    store: postgresStore({ connectionString: url as string, schema, maxConnections: 3 }),
    clock,
    leaseMs,
    ...(ownerId ? { ownerId } : {}),
  });
  engine.register(sleepy);
  return engine;
}

function newSchema(): string {
  const schema = freshSchema('engine');
  schemas.push(schema);
  return schema;
}

const waitingOf = (engine: Engine, runId: string) =>
  new Promise<void>((resolve) => {
    const off = engine.on('run:waiting', (e) => {
      if (e.runId !== runId) return;
      off();
      resolve();
    });
  });

describe.skipIf(!url)('the engine on PostgreSQL', () => {
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url as string, schema);
  });

  it('runs concurrent runs through a durable timer and non-idempotent steps, each effect once', async () => {
    const clock = createFakeClock(1_000_000);
    const engine = engineOn(newSchema(), clock);
    const names = Array.from({ length: 20 }, (_, i) => `c${i}`);
    let asleep = 0;
    engine.on('run:waiting', () => asleep++);
    const handles = await Promise.all(names.map((name) => engine.start('sleepy', { name })));
    while (asleep < names.length) await new Promise((resolve) => setTimeout(resolve, 20));
    await clock.advance(60_000);
    const outputs = await Promise.all(handles.map((handle) => handle.result()));
    expect(outputs[7]).toEqual({ first: 'hello c7' });
    for (const name of names) {
      expect(effects.get(`first:${name}`)).toBe(1);
      expect(effects.get(`second:${name}`)).toBe(1);
    }
    expect(await engine.list({ status: RunStatus.Completed })).toHaveLength(20);
    await engine.close();
  });

  it('keeps an idempotency key: a second start returns the first run', async () => {
    const engine = engineOn(newSchema());
    const a = await engine.start('sleepy', { name: 'k' }, { idempotencyKey: 'ticket-1' });
    const b = await engine.start('sleepy', { name: 'other' }, { idempotencyKey: 'ticket-1' });
    expect(b.runId).toBe(a.runId);
    expect(await engine.list()).toHaveLength(1);
    await engine.close();
  });

  it('resumes after a restart with the remaining time of its timer', async () => {
    const schema = newSchema();
    const first = engineOn(schema, createFakeClock(1_000_000));
    const { runId } = await first.start('sleepy', { name: 'r' });
    await waitingOf(first, runId);
    await first.close();
    const clock = createFakeClock(1_020_000); // 20 s later: 40 s remain
    const second = engineOn(schema, clock);
    const { resumed, failed } = await second.resumeAll();
    expect(failed).toEqual([]);
    await clock.advance(39_000);
    expect((await second.get(runId))?.status).toBe(RunStatus.Waiting);
    await clock.advance(1_000);
    await expect(resumed[0]?.result()).resolves.toEqual({ first: 'hello r' });
    expect(effects.get('first:r')).toBe(1);
    await second.close();
  });

  it('never drives a run another engine leases, and takes it over once that lease expired', async () => {
    const schema = newSchema();
    const dead = engineOn(schema, createFakeClock(0), 'engine-dead', 5_000);
    const { runId } = await dead.start('sleepy', { name: 'l' });
    await waitingOf(dead, runId);
    // engine-dead "dies": never closed, its lease left to expire.
    const clock = createFakeClock(1_000);
    const other = engineOn(schema, clock, 'engine-b', 5_000);
    const { failed } = await other.resumeAll();
    expect(failed[0]?.error).toMatchObject({ code: 'RUN_LEASED' });
    // No resume called: the takeover sweep (every second of the engine's clock) finds the expiry.
    // One second at a time, with real time between, for the sweep's round trips to the server.
    for (let s = 0; s < 6 && (await other.get(runId))?.leaseOwner !== 'engine-b'; s++) {
      await clock.advance(1_000);
      await new Promise((resolve) => setTimeout(resolve, 150));
    }
    expect((await other.get(runId))?.leaseOwner).toBe('engine-b');
    await clock.advance(60_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await other.get(runId))?.status).toBe(RunStatus.Completed);
    expect(effects.get('second:l')).toBe(1);
    await other.close();
    await dead.close();
  });

  it('a timer payload that does not parse: CORRUPT_RUN at resume, the run left as stored', async () => {
    const schema = newSchema();
    const first = engineOn(schema);
    const { runId } = await first.start('sleepy', { name: 'x' });
    await waitingOf(first, runId);
    await first.close();
    const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
    await client.connect();
    await client.query(`UPDATE timers SET payload_json = '{"type":' WHERE run_id = $1`, [runId]);
    await client.end();
    const second = engineOn(schema);
    await expect(second.resume(runId)).rejects.toMatchObject({ code: 'CORRUPT_RUN' });
    expect(await second.get(runId)).toMatchObject({ status: RunStatus.Waiting, leaseOwner: null });
    await second.close();
  });
});
