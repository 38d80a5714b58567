import type { Dialect } from '@fornex-flow/core';
import type { RunningMockServer } from '@fornex-flow/mock-server';
import { describe, expect, it } from 'vitest';
import { runChild, setup } from './crash-helpers.js';

const input = {
  title: 'ops 2026',
  publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINewRotatedKey2026 ops@rotation',
  replaceKeyId: 67,
  concurrency: 1,
};

/** The account's keys and each key-holding order's keys, by key text. */
function keyState(mock: RunningMockServer) {
  const tenant = mock.world.state.tenants.find((t) => t.id === 'personal');
  const text = (id: number) => tenant?.sshKeys.find((k) => k.id === id)?.key ?? `missing ${id}`;
  return {
    account: tenant?.sshKeys.map((k) => k.key).sort(),
    orders: tenant?.orders.filter((o) => o.sshKeyIds.length > 0).map((o) => [o.id, o.sshKeyIds.map(text).sort()]),
  };
}

const start = { RECIPE: 'rotate-ssh-keys', INPUT: JSON.stringify(input) };

// The end state of one clean run in a child process, once per dialect.
const cleanStates = new Map<Dialect, ReturnType<typeof keyState>>();
async function cleanEndState(dialect: Dialect) {
  const known = cleanStates.get(dialect);
  if (known) return known;
  const { mock, dbPath } = await setup(dialect);
  const run = await runChild(mock, dbPath, dialect, start);
  expect(run.lines).toEqual([expect.objectContaining({ status: 'completed' })]);
  cleanStates.set(dialect, keyState(mock));
  return keyState(mock);
}

describe.each<[Dialect, number[]]>([
  ['en', [0, 1, 2, 3, 4, 5]],
  ['ru', [1, 3]],
])('rotate-ssh-keys killed with SIGKILL (%s)', (dialect, afters) => {
  it.each(afters)(
    'after the effect of step %i, before its record: resumed in a new process, it ends as one clean run',
    async (after) => {
      const expected = await cleanEndState(dialect);

      const { mock, dbPath } = await setup(dialect);
      const crashed = await runChild(mock, dbPath, dialect, {
        ...start,
        FORNEX_FLOW_CRASH_AT: 'after-effect-before-record',
        FORNEX_FLOW_CRASH_AFTER: String(after),
      });
      expect(crashed.signal).toBe('SIGKILL');
      const resumed = await runChild(mock, dbPath, dialect, {});
      expect(resumed.stderr).toBe('');
      expect(resumed.lines).toEqual([expect.objectContaining({ status: 'completed' })]);
      expect(keyState(mock)).toEqual(expected);
      const adds = mock.runtime.journal.list().filter((e) => e.method === 'POST' && e.path === '/api/ssh_keys/add/');
      expect(adds).toHaveLength(1);
    },
    120_000,
  );
});
