import type { StoreWrite, TransitionCommit } from '@fornex-flow/core';
import { describe, expect, it } from 'vitest';
import { waitsForFlush } from './write-batch.js';

const commit = { runId: 'r' } as TransitionCommit;
const progress: StoreWrite = { kind: 'commit', commit, asyncCommit: true };
const unmarked: StoreWrite = { kind: 'commit', commit };
const started: StoreWrite = {
  kind: 'started',
  runId: 'r',
  stepKey: 's#1',
  attempt: 1,
  owner: 'o',
  atMs: 1,
  deadlineMs: 2,
};

describe('waitsForFlush: one batch, one commit, so one write that must be durable decides', () => {
  it('skips the flush only when every write of the batch allows it', () => {
    expect(waitsForFlush([progress, progress], true)).toBe(false);
    expect(waitsForFlush([progress, unmarked], true)).toBe(true);
    expect(waitsForFlush([progress, started], true)).toBe(true);
    expect(waitsForFlush([{ kind: 'create', run: {} as never, commit }, progress], true)).toBe(true);
    expect(waitsForFlush([{ ...progress, asyncCommit: false }], true)).toBe(true);
  });

  it('always waits with asyncCommits off', () => {
    expect(waitsForFlush([progress], false)).toBe(true);
  });
});
