import type { RunningMockServer } from '@fornex-flow/mock-server';
import { describe, expect, it } from 'vitest';
import { runChild, setup } from './crash-helpers.js';

const start = { RECIPE: 'migrate-dns', INPUT: JSON.stringify({ fromValue: '127.0.0.1', toValue: '192.0.2.7' }) };

/** Every record of every domain of the personal tenant. */
function dnsState(mock: RunningMockServer) {
  const tenant = mock.world.state.tenants.find((t) => t.id === 'personal');
  return tenant?.domains.map((d) => ({ name: d.name, records: d.records }));
}

describe('migrate-dns killed with SIGKILL (en)', () => {
  // Steps: discover, backup, updateRecord, updateRecord, postCheck: kill after each update's effect.
  it.each([2, 3])(
    'after the effect of step %i, before its record: resumed in a new process, it ends as one clean run',
    async (after) => {
      const clean = await setup('en');
      expect((await runChild(clean.mock, clean.dbPath, 'en', start)).lines).toEqual([
        expect.objectContaining({ status: 'completed' }),
      ]);
      const { mock, dbPath } = await setup('en');
      const crashed = await runChild(mock, dbPath, 'en', {
        ...start,
        FORNEX_FLOW_CRASH_AT: 'after-effect-before-record',
        FORNEX_FLOW_CRASH_AFTER: String(after),
      });
      expect(crashed.signal).toBe('SIGKILL');
      const resumed = await runChild(mock, dbPath, 'en', {});
      expect(resumed.lines).toEqual([expect.objectContaining({ status: 'completed' })]);
      expect(dnsState(mock)).toEqual(dnsState(clean.mock));
    },
    120_000,
  );
});
