import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { quoteIdent } from '../src/migrate.js';
import { postgresStore } from '../src/postgres-store.js';
import { dropSchema, freshSchema, pgUrl } from './pg-url.js';

// `ff_write_batch(batch, wait_for_flush)` read as a contract, one result per write and in order:
// a transition that does not follow the run's stored history is refused (false) and writes
// nothing, while the rest of its batch (other runs, a run created in the same batch, a started
// marker) is applied as if it had been sent alone.
const url = pgUrl();
const schema = freshSchema('write_batch');
let client: pg.Client;

const owner = 'engine-1';
const run = (id: string) => ({
  id,
  recipeId: 'r',
  recipeVersion: '1',
  parentId: null,
  idempotencyKey: null,
  status: 'running',
  inputJson: '{}',
  snapshotJson: '{"value":"a"}',
  outputJson: null,
  errorJson: null,
  leaseOwner: owner,
  leaseExpiresMs: 9_000_000_000_000,
  createdMs: 1,
  updatedMs: 1,
});
const commit = (runId: string, seq: number) => ({
  runId,
  owner,
  atMs: 10 + seq,
  status: 'running',
  previousStatus: 'running',
  snapshotJson: `{"value":"s${seq}"}`,
  outputJson: null,
  errorJson: null,
  history: { seq, atMs: 10 + seq, type: 'step.succeeded', payloadJson: `{"seq":${seq}}` },
  stepsJson: null,
  timersSet: [],
  timersCancelled: [],
});
const create = (id: string) => ({ kind: 'create', run: run(id), commit: { ...commit(id, 1), previousStatus: null } });
const next = (runId: string, seq: number) => ({ kind: 'commit', commit: commit(runId, seq) });
const started = (runId: string, stepKey: string) => ({
  kind: 'started',
  runId,
  stepKey,
  attempt: 1,
  owner,
  atMs: 50,
  deadlineMs: 60,
});

const writeBatch = async (batch: unknown[], waitForFlush = false) =>
  (
    await client.query(`SELECT ${quoteIdent(schema)}.ff_write_batch($1::jsonb, $2) AS r`, [
      JSON.stringify(batch),
      waitForFlush,
    ])
  ).rows[0].r as unknown[];
const seqs = async (runId: string) =>
  (
    await client.query<{ seq: number }>(
      `SELECT seq FROM ${quoteIdent(schema)}.history WHERE run_id = $1 ORDER BY seq`,
      [runId],
    )
  ).rows.map((row) => row.seq);

describe.skipIf(!url)('ff_write_batch on PostgreSQL', () => {
  beforeAll(async () => {
    const store = postgresStore({ connectionString: url as string, schema, maxConnections: 1 });
    await store.getRun('none'); // applies the migrations
    await store.close();
    client = new pg.Client(url);
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await dropSchema(url as string, schema);
  });

  it('refuses exactly the transitions that do not follow the stored history, and applies the rest', async () => {
    expect(await writeBatch([create('a'), create('b'), next('a', 2)])).toEqual([
      { created: true, runId: 'a' },
      { created: true, runId: 'b' },
      true,
    ]);
    const results = await writeBatch([
      next('a', 4), // a is at 2: seq 3 was lost (a server crash took back an asynchronous commit)
      next('b', 2),
      create('c'),
      next('c', 2), // follows its creation in the same batch
      next('a', 5), // follows a refused one: refused too
      started('b', 's#1'),
      next('b', 3), // b's second transition of the batch
      next('b', 3), // the same seq again: no longer follows
    ]);
    expect(results).toEqual([false, true, { created: true, runId: 'c' }, true, false, true, true, false]);
    expect(await seqs('a')).toEqual([1, 2]);
    expect(await seqs('b')).toEqual([1, 2, 3]);
    expect(await seqs('c')).toEqual([1, 2]);
    // After the refusal, the run's engine resumes from what is stored: seq 3 follows.
    expect(await writeBatch([next('a', 3)], true)).toEqual([true]);
    expect(await seqs('a')).toEqual([1, 2, 3]);
  });

  it('answers an empty batch with an empty list', async () => {
    expect(await writeBatch([])).toEqual([]);
    expect(await writeBatch([], true)).toEqual([]);
  });
});
