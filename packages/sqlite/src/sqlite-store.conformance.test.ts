import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeStoreConformance } from '@fornex-flow/core/testing';
import Database from 'better-sqlite3';
import { sqliteStore } from './sqlite-store.js';

// Every case on a fresh file; the damage is done through a second connection, as a bad disk or a
// hand edit would.
describeStoreConformance('sqliteStore', () => {
  const path = join(mkdtempSync(join(tmpdir(), 'fornex-conformance-')), 'runs.db');
  const tamper = (sql: string, ...params: unknown[]) => {
    const db = new Database(path);
    db.prepare(sql).run(...params);
    db.close();
  };
  return {
    store: sqliteStore({ path }),
    corruptJournal: (runId) => tamper(`UPDATE history SET steps_json = '{"n":[' WHERE run_id = ?`, runId),
    setRawStatus: (runId, status) => tamper('UPDATE runs SET status = ? WHERE id = ?', status, runId),
  };
});
