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
});
