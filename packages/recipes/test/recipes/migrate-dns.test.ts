import { EngineErrorCode } from '@fornex-flow/core';
import { describe, expect, it } from 'vitest';
import { migrateDns, planMigrateDns } from '../../src/recipes/migrate-dns/index.js';
import { addFault, calls, dialects, effects, failureOf, startKit, tenant } from './helpers.js';

const from = '127.0.0.1';
const to = '192.0.2.7';

/** The records of a domain in the world, as plain data. */
function records(kit: Parameters<typeof tenant>[0], name: string) {
  return structuredClone(tenant(kit).domains.find((d) => d.name === name)?.records);
}

/**
 * The update of example.com's second record is refused once: an `error` answer, not a 5xx (a
 * transient failure is retried; see recipes-faults.test.ts). The first one has landed by then.
 */
const refuseSecondUpdate = (kit: Parameters<typeof addFault>[0]) =>
  addFault(kit, {
    method: 'POST',
    path: '/api/dns/v0.1/example.com/entry_set/366182/',
    body: { error: 'The record is locked.' },
    times: 1,
  });

describe.each(dialects)('migrate-dns (%s)', (dialect) => {
  it('finds the domains, changes every matching record, and passes its post-check', async () => {
    const kit = await startKit([migrateDns], dialect);
    const before = records(kit, 'example.com');
    const otherBefore = records(kit, 'test.com');
    const run = await kit.engine.start('migrate-dns', { fromValue: from, toValue: to });
    const end = await kit.finish(run);
    expect(end).toEqual({
      status: 'completed',
      output: {
        domains: ['example.com'],
        changed: [
          { domain: 'example.com', id: 12344, host: '', type: 'A', from, to },
          { domain: 'example.com', id: 366182, host: 'www', type: 'A', from, to },
        ],
      },
    });
    const after = records(kit, 'example.com');
    expect(after?.map((r) => [r.id, r.value])).toEqual([
      [12344, to],
      [12345, 'aspmx.l.google.com'],
      [366182, to],
    ]);
    // The MX record is untouched; the en dialect lists TTLs, so the recipe keeps them.
    expect(after?.[1]).toEqual(before?.[1]);
    if (dialect === 'en') expect(after?.[0]?.ttl).toBe(600);
    expect(records(kit, 'test.com')).toEqual(otherBefore);
    expect(effects(kit)).toEqual([
      'POST /api/dns/v0.1/example.com/entry_set/12344/',
      'POST /api/dns/v0.1/example.com/entry_set/366182/',
    ]);
  });

  it('rolls back the applied change when an update fails, and reports it', async () => {
    const kit = await startKit([migrateDns], dialect);
    const before = records(kit, 'example.com');
    await refuseSecondUpdate(kit);
    const run = await kit.engine.start('migrate-dns', { fromValue: from, toValue: to, domains: ['example.com'] });
    const end = await kit.finish(run);
    const { name, code, message } = failureOf(end);
    expect({ name, code }).toEqual({ name: 'RecipeFailure', code: 'ROLLED_BACK' });
    expect(message).toContain('migrate-dns rolled back: updating example.com #366182 (www A) failed');
    expect(message).toContain('restored: example.com #12344 (@ A) back to 127.0.0.1');
    expect(message).not.toContain('COULD NOT RESTORE');
    const after = records(kit, 'example.com');
    expect(after?.map((r) => [r.id, r.host, r.type, r.value])).toEqual(
      before?.map((r) => [r.id, r.host, r.type, r.value]),
    );
    if (dialect === 'en') expect(after).toEqual(before);
  });

  it('retries a restore that failed transiently, and rolls back in full', async () => {
    const kit = await startKit([migrateDns], dialect);
    const before = records(kit, 'example.com');
    await refuseSecondUpdate(kit);
    // The rollback's restore of the applied record meets a 503 once: the service was busy.
    kit.engine.on('step:started', ({ step }) => {
      if (step === 'rollback' && !restoreRefused) {
        restoreRefused = true;
        kit.mock.runtime.faults.add({
          method: 'POST',
          path: '/api/dns/v0.1/example.com/entry_set/12344/',
          status: 503,
          times: 1,
        });
      }
    });
    let restoreRefused = false;
    const run = await kit.engine.start('migrate-dns', { fromValue: from, toValue: to, domains: ['example.com'] });
    const { code, message } = failureOf(await kit.finish(run));
    expect(restoreRefused).toBe(true);
    expect(code).toBe('ROLLED_BACK');
    expect(message).toContain('restored: example.com #12344 (@ A) back to 127.0.0.1');
    expect(message).not.toContain('COULD NOT RESTORE');
    expect(records(kit, 'example.com')?.map((r) => [r.id, r.value])).toEqual(before?.map((r) => [r.id, r.value]));
  });

  it('rolls every change back to the backup when the post-check fails', async () => {
    const kit = await startKit([migrateDns], dialect);
    const before = records(kit, 'example.com');
    // From the post-check on, the zone file is served stale: it disagrees with the records.
    const stale = await kit.client.dns.zoneFile('example.com');
    kit.engine.on('step:started', ({ step }) => {
      if (step === 'postCheck')
        kit.mock.runtime.faults.add({
          method: 'GET',
          path: '/api/dns/v0.1/example.com/zone_file/',
          body: stale,
          times: 1,
        });
    });
    const run = await kit.engine.start('migrate-dns', { fromValue: from, toValue: to });
    const end = await kit.finish(run);
    const { code, message } = failureOf(end);
    expect(code).toBe('ROLLED_BACK');
    expect(message).toContain(
      'migrate-dns rolled back: the post-check failed: the zone file of example.com has no @ A 192.0.2.7',
    );
    expect(message).toContain('example.com #12344 (@ A) back to 127.0.0.1');
    expect(message).toContain('example.com #366182 (www A) back to 127.0.0.1');
    const after = records(kit, 'example.com');
    expect(after?.map((r) => [r.id, r.host, r.type, r.value])).toEqual(
      before?.map((r) => [r.id, r.host, r.type, r.value]),
    );
    if (dialect === 'en') expect(after).toEqual(before);
    expect(await kit.client.dns.zoneFile('example.com')).toContain(`www\t3600\tIN\tA\t${from}`);
  });

  it('refuses bad input before any effect, naming the field', async () => {
    const kit = await startKit([migrateDns], dialect);
    const refused = async (input: unknown, field: string) =>
      expect(kit.engine.start('migrate-dns', input)).rejects.toMatchObject({
        code: EngineErrorCode.InvalidInput,
        message: expect.stringContaining(field),
      });
    await refused({ fromValue: from, toValue: from }, 'toValue: must differ from fromValue');
    await refused({ fromValue: from, toValue: to, types: ['XYZ'] }, 'types.0');
    await refused({ fromValue: from, toValue: to, domains: ['not a domain'] }, 'domains.0');
    await refused({ toValue: to }, 'fromValue');
    expect(calls(kit)).toEqual([]);
  });

  it('plans a dry run from reads only', async () => {
    const kit = await startKit([migrateDns], dialect);
    const plan = await planMigrateDns(kit.client, { fromValue: from, toValue: to });
    expect(plan.summary).toBe(`change 2 record(s) in 1 domain(s) from ${from} to ${to}`);
    expect(plan.actions.filter((a) => a.action === 'update record').map((a) => a.target)).toEqual([
      'example.com #12344 (@ A)',
      'example.com #366182 (www A)',
    ]);
    expect(calls(kit).every((line) => line.startsWith('GET '))).toBe(true);
    const nothing = await planMigrateDns(kit.client, { fromValue: '198.51.100.1', toValue: to });
    expect(nothing.warnings).toEqual(['no A record holds 198.51.100.1: nothing to do']);
  });
});
