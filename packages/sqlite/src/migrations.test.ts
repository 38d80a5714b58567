import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrations } from './migrations.js';
import { migrate, sqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('migrations', () => {
  it('are applied once each, in order, and keep the history of a database made by older versions', () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    dirs.push(dir);
    const path = join(dir, 'old.db');
    // A database as the version with only the first two migrations left it.
    const old = new Database(path);
    expect(migrate(old, migrations.slice(0, 2))).toEqual(['0001-runs-steps-timers-history', '0002-step-journal']);
    old
      .prepare('INSERT INTO history (run_id, seq, at_ms, type, payload_json, steps_json) VALUES (?, ?, ?, ?, ?, ?)')
      .run('run-1', 1, 10, 'run.started', 'null', '{"n":[["a#1","work","null"]]}');
    old
      .prepare(`INSERT INTO runs (id, recipe_id, recipe_version, status, input_json, snapshot_json, created_ms, updated_ms)
        VALUES ('run-1', 'r', '1', 'waiting', '{}', '{"value":"old"}', 10, 20)`)
      .run();
    old.close();

    const store = sqliteStore({ path });
    expect(store.history('run-1')).toEqual([
      { runId: 'run-1', seq: 1, atMs: 10, type: 'run.started', payloadJson: 'null' },
    ]);
    // Before 0004 the snapshot lived only in the runs row: it is still the run's snapshot.
    expect(store.getRun('run-1')).toMatchObject({ snapshotJson: '{"value":"old"}', updatedMs: 20 });
    store.close();
    const again = new Database(path);
    expect(migrate(again)).toEqual([]);
    const names = again.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all();
    expect(names).toEqual(migrations.map((m) => m.name));
    again.close();
  });

  it("0007 keys each run's history by its run number, keeping the rows, their order and the runs", () => {
    const dir = mkdtempSync(join(tmpdir(), 'migrations-'));
    dirs.push(dir);
    const path = join(dir, 'v6.db');
    // A database as the version with migrations 0001-0006 left it: two runs whose history rows
    // interleave in the append-only table, one with an idempotency key.
    const old = new Database(path);
    migrate(old, migrations.slice(0, 6));
    const run = old.prepare(`INSERT INTO runs (id, recipe_id, recipe_version, idempotency_key, status, input_json,
      snapshot_json, lease_owner, lease_expires_ms, created_ms, updated_ms)
      VALUES (?, 'r', '1', ?, ?, '{}', '{"value":"start"}', 'engine-1', 99, ?, ?)`);
    run.run('run-a', 'key-a', 'waiting', 10, 10);
    run.run('run-b', null, 'running', 20, 20);
    const history = old.prepare(`INSERT INTO history (run_id, seq, at_ms, type, payload_json, steps_json, snapshot_json)
      VALUES (?, ?, ?, ?, 'null', ?, ?)`);
    history.run('run-a', 1, 11, 'run.started', '{"n":[["a#1","work","null"]]}', '{"value":"a1"}');
    history.run('run-b', 1, 21, 'run.started', '{"n":[["b#1","work","null"]]}', '{"value":"b1"}');
    history.run('run-a', 2, 12, 'step.succeeded', '{"u":["a#1","succeeded",1,"1",null]}', '{"value":"a2"}');
    history.run('run-b', 2, 22, 'event', null, null);
    old.close();

    const store = sqliteStore({ path });
    expect(store.history('run-a').map((row) => [row.seq, row.type, row.atMs])).toEqual([
      [1, 'run.started', 11],
      [2, 'step.succeeded', 12],
    ]);
    expect(store.history('run-b').map((row) => [row.seq, row.type])).toEqual([
      [1, 'run.started'],
      [2, 'event'],
    ]);
    // The snapshot is still the newest one in the run's history; the step journal replays as before.
    expect(store.getRun('run-a')).toMatchObject({
      snapshotJson: '{"value":"a2"}',
      idempotencyKey: 'key-a',
      updatedMs: 12,
    });
    expect(store.getRun('run-b')).toMatchObject({ snapshotJson: '{"value":"b1"}', leaseOwner: 'engine-1' });
    expect(store.steps('run-a').map((step) => [step.stepKey, step.status])).toEqual([['a#1', 'succeeded']]);
    expect(store.loadRun('run-b')).toMatchObject({ lastSeq: 2, openSteps: [{ stepKey: 'b#1', status: 'scheduled' }] });
    expect(store.findByIdempotencyKey('key-a')?.id).toBe('run-a');
    store.close();

    const db = new Database(path);
    // Each run's rows sit in the stretch of its run number, in seq order; no index is left on history.
    const keys = db
      .prepare(
        'SELECT r.id, h.id >> 32 AS runNo, h.id & 4294967295 AS seq FROM history h JOIN runs r ON r.run_no = h.id >> 32 ORDER BY h.id',
      )
      .all();
    expect(keys).toEqual([
      { id: 'run-a', runNo: 1, seq: 1 },
      { id: 'run-a', runNo: 1, seq: 2 },
      { id: 'run-b', runNo: 2, seq: 1 },
      { id: 'run-b', runNo: 2, seq: 2 },
    ]);
    expect(
      db.prepare(`SELECT count(*) FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'history'`).pluck().get(),
    ).toBe(0);
    // The idempotency key is still unique.
    expect(() =>
      db
        .prepare(`INSERT INTO runs (id, recipe_id, recipe_version, idempotency_key, status, input_json, snapshot_json,
        created_ms, updated_ms) VALUES ('run-c', 'r', '1', 'key-a', 'running', '{}', '{}', 30, 30)`)
        .run(),
    ).toThrow(/UNIQUE/);
    db.close();
  });
});
