import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRow, SyncWorkflowStore, TransitionCommit } from '@fornex-flow/core';
import { RunStatus } from '@fornex-flow/core';
import { afterEach, describe, expect, it } from 'vitest';
import { createLeaseMirror } from './lease-mirror.js';
import { sqliteStore } from './sqlite-store.js';

const dirs: string[] = [];
const stores: SyncWorkflowStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function twoConnections() {
  const dir = mkdtempSync(join(tmpdir(), 'lease-mirror-'));
  dirs.push(dir);
  const a = sqliteStore({ path: join(dir, 'runs.db') });
  const b = sqliteStore({ path: join(dir, 'runs.db') });
  stores.push(a, b);
  return { a, b };
}

const runRow = (id: string, owner: string): RunRow => ({
  id,
  recipeId: 'r',
  recipeVersion: '1',
  parentId: null,
  idempotencyKey: null,
  status: RunStatus.Running,
  inputJson: '{}',
  snapshotJson: '{"value":"s0"}',
  outputJson: null,
  errorJson: null,
  leaseOwner: owner,
  leaseExpiresMs: 1_000,
  createdMs: 0,
  updatedMs: 0,
});

// A transition that keeps the run's status: the kind whose lease check the mirror may skip.
// One write alone, as the engine's group commit would send it.
const create = (store: SyncWorkflowStore, run: RunRow, c: TransitionCommit) =>
  (store.writeBatch([{ kind: 'create', run, commit: c }])[0] as { created: boolean }).created;
const commit = (store: SyncWorkflowStore, c: TransitionCommit) => store.writeBatch([{ kind: 'commit', commit: c }])[0];

const sameStatus = (runId: string, owner: string, seq: number): TransitionCommit => ({
  runId,
  owner,
  atMs: seq,
  status: RunStatus.Running,
  previousStatus: RunStatus.Running,
  history: { seq, atMs: seq, type: 'step.succeeded', payloadJson: 'null' },
  snapshotJson: `{"value":"s${seq}"}`,
  newSteps: [],
  cancelledSteps: [],
  timersSet: [],
  timersCancelled: [],
});

describe('the lease mirror', () => {
  it('vouches for what it was told until another connection commits', () => {
    let version = 1;
    const mirror = createLeaseMirror(() => version);
    mirror.sync();
    mirror.remember('r1', 'a', 'running');
    expect(mirror.holds('r1', 'a', 'running')).toBe(true);
    expect(mirror.holds('r1', 'b', 'running')).toBe(false);
    expect(mirror.holds('r1', 'a', 'waiting')).toBe(false);
    mirror.sync();
    expect(mirror.holds('r1', 'a', 'running')).toBe(true);
    version = 2;
    mirror.sync();
    expect(mirror.holds('r1', 'a', 'running')).toBe(false);
  });

  it('lets a same-status commit through while nobody else wrote, and refuses it after another connection cancelled the run', () => {
    const { a, b } = twoConnections();
    expect(create(a, runRow('run-1', 'a'), sameStatus('run-1', 'a', 1))).toBe(true);
    expect(commit(a, sameStatus('run-1', 'a', 2))).toBe(true);
    expect(b.cancelRun('run-1', 3, { seq: 0, atMs: 3, type: 'run.cancelled', payloadJson: 'null' })).toBe(true);
    expect(commit(a, sameStatus('run-1', 'a', 4))).toBe(false);
    expect(a.history('run-1').map((h) => h.type)).toEqual(['step.succeeded', 'step.succeeded', 'run.cancelled']);
  });

  it('refuses a same-status commit after another engine took the expired lease over', () => {
    const { a, b } = twoConnections();
    create(a, runRow('run-2', 'a'), sameStatus('run-2', 'a', 1));
    expect(commit(a, sameStatus('run-2', 'a', 2))).toBe(true);
    expect(b.acquireLease('run-2', 'b', 9_000, 5_000)).toBe(true);
    expect(commit(a, sameStatus('run-2', 'a', 3))).toBe(false);
    expect(commit(b, sameStatus('run-2', 'b', 3))).toBe(true);
    expect(a.getRun('run-2')).toMatchObject({ leaseOwner: 'b', snapshotJson: '{"value":"s3"}', updatedMs: 3 });
  });

  it('forgets a lease this connection released', () => {
    const { a } = twoConnections();
    create(a, runRow('run-3', 'a'), sameStatus('run-3', 'a', 1));
    a.releaseLease('run-3', 'a');
    expect(commit(a, sameStatus('run-3', 'a', 2))).toBe(false);
  });

  it('refuses a `started` marker after another connection took the lease over or cancelled the run', () => {
    const { a, b } = twoConnections();
    const started = (store: SyncWorkflowStore, runId: string, owner: string, stepKey: string) =>
      store.writeBatch([{ kind: 'started', runId, stepKey, attempt: 1, owner, atMs: 5, deadlineMs: 50 }])[0];
    create(a, runRow('run-4', 'a'), sameStatus('run-4', 'a', 1));
    create(a, runRow('run-5', 'a'), sameStatus('run-5', 'a', 1));
    // While the mirror vouches for both runs, the markers go in.
    expect(started(a, 'run-4', 'a', 'w#1')).toBe(true);
    expect(started(a, 'run-5', 'a', 'w#1')).toBe(true);
    expect(b.acquireLease('run-4', 'b', 9_000, 5_000)).toBe(true);
    expect(b.cancelRun('run-5', 6, { seq: 0, atMs: 6, type: 'run.cancelled', payloadJson: 'null' })).toBe(true);
    expect(started(a, 'run-4', 'a', 'w#2')).toBe(false);
    expect(started(a, 'run-5', 'a', 'w#2')).toBe(false);
    // The marker of another owner's run is refused too, mirror or not; its holder's goes in.
    expect(started(a, 'run-4', 'c', 'w#3')).toBe(false);
    expect(started(b, 'run-4', 'b', 'w#3')).toBe(true);
  });
});
