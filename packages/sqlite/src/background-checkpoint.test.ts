import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunStatus } from '@fornex-flow/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createBackgroundCheckpointer } from './background-checkpoint.js';
import { sqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath() {
  const dir = mkdtempSync(join(tmpdir(), 'checkpoint-'));
  dirs.push(dir);
  return join(dir, 'runs.db');
}

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a checkpoint');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

// 128 transactions of 2 KiB each (two checkpoint requests at the default of one every 64): a few
// hundred WAL pages, under SQLite's own 1,000-page threshold.
function writeSome(path: string, options: Parameters<typeof sqliteStore>[0]['checkpoint']) {
  const store = sqliteStore({ path, checkpoint: options });
  const base = {
    recipeId: 'r',
    recipeVersion: '1',
    parentId: null,
    idempotencyKey: null,
    status: RunStatus.Running,
    inputJson: JSON.stringify('x'.repeat(2048)),
    snapshotJson: '{}',
    outputJson: null,
    errorJson: null,
    leaseOwner: 'a',
    leaseExpiresMs: 0,
    createdMs: 0,
    updatedMs: 0,
  };
  for (let i = 0; i < 128; i++) {
    const id = `run-${i}`;
    store.writeBatch([
      {
        kind: 'create',
        run: { ...base, id },
        commit: {
          runId: id,
          owner: 'a',
          atMs: 0,
          status: RunStatus.Running,
          previousStatus: RunStatus.Running,
          history: { seq: 1, atMs: 0, type: 'run.started', payloadJson: 'null' },
          newSteps: [],
          cancelledSteps: [],
          timersSet: [],
          timersCancelled: [],
        },
      },
    ]);
  }
  return store;
}

describe('background checkpoints', () => {
  it('copy the WAL into the database file from a worker while the writer goes on', async () => {
    const path = tempPath();
    const store = writeSome(path, 'background');
    const walBytes = statSync(`${path}-wal`).size;
    await waitFor(() => statSync(path).size > 100 * 2048);
    // The writer's connection still reads everything, and so does a fresh one.
    expect(store.getRun('run-99')?.inputJson).toHaveLength(2050);
    store.close();
    const db = new Database(path, { readonly: true });
    expect(db.prepare('SELECT count(*) FROM runs').pluck().get()).toBe(128);
    db.close();
    expect(walBytes).toBeGreaterThan(100 * 2048);
  });

  it('leave the WAL alone below the threshold when checkpoints are inline (the control)', async () => {
    const path = tempPath();
    const store = writeSome(path, 'inline');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(statSync(path).size).toBeLessThan(100 * 2048);
    store.close();
  });

  it('start no worker before the first request, and none after close', async () => {
    const path = tempPath();
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (x TEXT)');
    const checkpointer = createBackgroundCheckpointer(path, { everyTransactions: 3 });
    const insert = db.prepare('INSERT INTO t VALUES (?)');
    for (let i = 0; i < 2; i++) {
      insert.run('y'.repeat(8192));
      checkpointer.wrote();
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
    const before = statSync(path).size;
    expect(before).toBeLessThan(8192);
    insert.run('y'.repeat(8192));
    checkpointer.wrote();
    await waitFor(() => statSync(path).size > 3 * 8192);
    checkpointer.close();
    for (let i = 0; i < 10; i++) {
      insert.run('z'.repeat(8192));
      checkpointer.wrote();
    }
    const after = statSync(path).size;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(statSync(path).size).toBe(after);
    db.close();
  });
});
