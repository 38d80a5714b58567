import {
  createEngine,
  createFakeClock,
  defineRecipe,
  type Engine,
  EngineErrorCode,
  RunStatus,
  stepActor,
} from '@fornex-flow/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import { quoteIdent } from '../src/migrate.js';
import { postgresStore } from '../src/postgres-store.js';
import { dropSchema, freshSchema, pgUrl } from './pg-url.js';

// Which transactions the store commits without waiting for the WAL flush, read from the server:
// a trigger on the tables the writes touch records `synchronous_commit` as each transaction saw it.
const url = pgUrl();
const schemas: string[] = [];

const chain = defineRecipe({
  id: 'chain',
  version: 1,
  description: 'three idempotent steps, a step that is not idempotent, an external event',
  input: z.object({}),
  machine: setup({ actors: { read: stepActor<string>(), post: stepActor<string>() } }).createMachine({
    id: 'chain',
    initial: 'a',
    states: {
      a: { invoke: { id: 'a', src: 'read', onDone: 'a2' } },
      a2: { invoke: { id: 'a2', src: 'read', onDone: 'b' } },
      b: { invoke: { id: 'b', src: 'read', onDone: 'post' } },
      post: { invoke: { id: 'post', src: 'post', onDone: 'check' } },
      check: { invoke: { id: 'check', src: 'read', onDone: 'approval' } },
      approval: { on: { approve: 'last' } },
      last: { invoke: { id: 'last', src: 'read', onDone: 'done' } },
      done: { type: 'final' },
    },
  }),
  steps: {
    read: { idempotent: true, run: () => 'ok' },
    post: { reconcile: () => ({ done: false }), run: () => 'posted' },
  },
});

// Counts each step's runs; `gate` waits for the test to open it (the crash is simulated meanwhile).
const ran = new Map<string, number>();
let openGate = () => {};
const gateOpen = new Promise<void>((resolve) => {
  openGate = resolve;
});
const gated = defineRecipe({
  id: 'gated',
  version: 1,
  description: 'idempotent steps up to a gate, then a step that is not idempotent',
  input: z.object({}),
  machine: setup({ actors: { read: stepActor<string>(), post: stepActor<string>() } }).createMachine({
    id: 'gated',
    initial: 'a',
    states: {
      a: { invoke: { id: 'a', src: 'read', onDone: 'b' } },
      b: { invoke: { id: 'b', src: 'read', onDone: 'gate' } },
      gate: { invoke: { id: 'gate', src: 'read', onDone: 'post' } },
      post: { invoke: { id: 'post', src: 'post', onDone: 'done' } },
      done: { type: 'final' },
    },
  }),
  steps: {
    read: {
      idempotent: true,
      run: async ({ stepKey }) => {
        ran.set(stepKey, (ran.get(stepKey) ?? 0) + 1);
        if (stepKey === 'gate#1') await gateOpen;
        return 'ok';
      },
    },
    post: {
      reconcile: () => ({ done: false }),
      run: ({ stepKey }) => {
        ran.set(stepKey, (ran.get(stepKey) ?? 0) + 1);
        return 'posted';
      },
    },
  },
});

async function withClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

const showSetting = async (client: pg.Client) =>
  (await client.query<{ synchronous_commit: string }>('SHOW synchronous_commit')).rows[0]?.synchronous_commit;

// The store's schema, migrated, with a trigger that records each history row's and started
// marker's `synchronous_commit` in `seen`.
async function recordingSchema(): Promise<string> {
  const schema = freshSchema('durability');
  schemas.push(schema);
  const store = postgresStore({ connectionString: url as string, schema, maxConnections: 1 });
  await store.getRun('none'); // applies the migrations
  await store.close();
  const q = quoteIdent(schema);
  await withClient((client) =>
    client.query(`
      CREATE TABLE ${q}.seen (id bigserial PRIMARY KEY, what text NOT NULL, setting text NOT NULL);
      CREATE FUNCTION ${q}.record_setting() RETURNS trigger LANGUAGE plpgsql AS $fn$
      DECLARE row jsonb := to_jsonb(NEW);
      BEGIN
        INSERT INTO ${q}.seen (what, setting) VALUES (
          CASE TG_TABLE_NAME WHEN 'history'
            THEN trim((row->>'type') || ' ' || coalesce((row->>'payload_json')::jsonb->>'stepKey', ''))
            ELSE 'started ' || (row->>'step_key') END,
          current_setting('synchronous_commit'));
        RETURN NEW;
      END $fn$;
      CREATE TRIGGER record_history AFTER INSERT ON ${q}.history FOR EACH ROW EXECUTE FUNCTION ${q}.record_setting();
      CREATE TRIGGER record_started AFTER INSERT ON ${q}.steps FOR EACH ROW EXECUTE FUNCTION ${q}.record_setting();
    `),
  );
  return schema;
}

async function runChain(schema: string, asyncCommits?: boolean): Promise<[string, string][]> {
  const engine: Engine = createEngine({
    store: postgresStore({
      connectionString: url as string,
      schema,
      maxConnections: 2,
      ...(asyncCommits === undefined ? {} : { asyncCommits }),
    }),
    clock: createFakeClock(1_000_000),
  });
  engine.register(chain);
  const handle = await engine.start('chain', {});
  await new Promise<void>((resolve) => {
    const off = engine.on('run:waiting', (e) => {
      if (e.runId !== handle.runId) return;
      off();
      resolve();
    });
  });
  await engine.send(handle.runId, { type: 'approve' });
  await handle.result();
  await engine.close();
  return withClient(async (client) =>
    (
      await client.query<{ what: string; setting: string }>(
        `SELECT what, setting FROM ${quoteIdent(schema)}.seen ORDER BY id`,
      )
    ).rows.map((row): [string, string] => [row.what, row.setting]),
  );
}

describe.skipIf(!url)('asynchronous commits on PostgreSQL', () => {
  let serverSetting: string | undefined;
  beforeAll(async () => {
    serverSetting = await withClient(showSetting);
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url as string, schema);
  });

  it('skips the flush only for the transaction that asks, and leaves the connection as it was', async () => {
    // Asserting "off" only means something when the server itself waits for its flush.
    expect(serverSetting).not.toBe('off');
    const schema = await recordingSchema();
    const fn = `${quoteIdent(schema)}.ff_write_batch`;
    const settings = await withClient(async (client) => {
      const seen: (string | undefined)[] = [];
      for (const waitForFlush of [false, true]) {
        await client.query('BEGIN');
        await client.query(`SELECT ${fn}('[]'::jsonb, $1)`, [waitForFlush]);
        seen.push(await showSetting(client));
        await client.query('COMMIT');
        seen.push(await showSetting(client)); // the same connection's next transaction
      }
      return seen;
    });
    expect(settings).toEqual(['off', serverSetting, serverSetting, serverSetting]);
  });

  it('commits an idempotent step’s progress asynchronously, and everything others rely on synchronously', async () => {
    const on = serverSetting as string;
    expect(await runChain(await recordingSchema())).toEqual([
      ['run.started', on], // the caller gets the run's id
      ['step.succeeded a#1', 'off'], // idempotent progress
      ['step.succeeded a2#1', 'off'],
      ['step.succeeded b#1', on], // schedules a step that is not idempotent: flushes the two above too
      ['started post#1', on], // before its effect
      ['step.succeeded post#1', on], // the outcome of an effect that must not happen twice
      ['step.succeeded check#1', on], // the run now waits for an event
      ['event', on], // the sender is told it was delivered
      ['step.succeeded last#1', on], // the run ends
    ]);
  });

  it('waits for every flush with asyncCommits: false', async () => {
    const seen = await runChain(await recordingSchema(), false);
    expect(seen).toHaveLength(9);
    expect(seen.filter(([, setting]) => setting !== serverSetting)).toEqual([]);
  });
  it('after a server crash took back idempotent progress, the run resumes from what is stored', async () => {
    const schema = freshSchema('durability');
    schemas.push(schema);
    const engineAt = (nowMs: number, ownerId: string) => {
      const engine = createEngine({
        store: postgresStore({ connectionString: url as string, schema, maxConnections: 2 }),
        clock: createFakeClock(nowMs),
        leaseMs: 10_000,
        ownerId,
      });
      engine.register(gated);
      return engine;
    };
    const first = engineAt(1_000_000, 'first');
    const handle = await first.start('gated', {});
    await new Promise<void>((resolve) => {
      const off = first.on('step:started', (e) => {
        if (e.stepKey !== 'gate#1') return;
        off();
        resolve();
      });
    });
    // What a server crash before the WAL writer's flush takes back: the asynchronous commits of a
    // and b (history rows only: by the rule they change no status, timer or marker).
    await withClient((client) =>
      client.query(`DELETE FROM ${quoteIdent(schema)}.history WHERE run_id = $1 AND seq > 1`, [handle.runId]),
    );
    openGate();
    // The engine's next transition follows one the database no longer has: refused, nothing written.
    await expect(handle.result()).rejects.toMatchObject({ code: EngineErrorCode.LeaseLost });
    expect(ran.get('post#1')).toBeUndefined();
    await first.close();

    const second = engineAt(1_060_000, 'second'); // after the first one's lease expired
    const { resumed } = await second.resumeAll();
    await resumed[0]?.result();
    expect((await second.get(handle.runId))?.status).toBe(RunStatus.Completed);
    // The cost of the crash: the idempotent steps ran again; the one that is not ran once.
    expect(Object.fromEntries(ran)).toEqual({ 'a#1': 2, 'b#1': 2, 'gate#1': 2, 'post#1': 1 });
    const seqs = (await second.history(handle.runId)).map((h) => h.seq);
    expect(seqs).toEqual(seqs.map((_, i) => i + 1));
    await second.close();
  });
});
