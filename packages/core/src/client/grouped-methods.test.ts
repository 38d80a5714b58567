import { describe, expect, it } from 'vitest';
import { endpoints } from '../api/endpoints/index.js';
import { createGroupedMethods } from './grouped-methods.js';
import type { RequestFunction } from './types.js';

type Method = (...args: unknown[]) => Promise<unknown>;

/** Every method of the grouped tree, with its dotted name. */
function methodsOf(tree: object, prefix = ''): Array<[string, Method]> {
  return Object.entries(tree).flatMap(([name, value]) =>
    typeof value === 'function'
      ? [[`${prefix}${name}`, value as Method] as [string, Method]]
      : methodsOf(value as object, `${prefix}${name}.`),
  );
}

// Arguments for each method, in the order of its signature.
const args: Record<string, unknown[]> = {
  'vps.logDetails': ['34-1', 7],
  'vps.stats': ['34-1', 'cpu', { start: '2020-01-01', end: '2020-01-02' }],
  'sshKeys.add': [{ title: 't', key: 'k' }],
  'sshKeys.delete': [5],
  'sshKeys.addToOrder': ['34-1', 5],
  'sshKeys.deleteFromOrder': ['34-1', 5],
  'ds.traffic': ['34-1', { period: 'year' }],
  'tickets.webhookSet': ['http://h/'],
  'vpn.config': ['301-1', 'udp'],
  'dns.addDomain': ['a.com', '192.0.2.1'],
  'dns.deleteDomain': ['a.com'],
  'dns.domainList': [{ q: 'a' }],
  'dns.zoneFile': ['a.com'],
  'dns.records.list': ['a.com', { q: 'www' }],
  'dns.records.add': ['a.com', { host: 'www', type: 'A', value: '192.0.2.1', ttl: 600 }],
  'dns.records.update': ['a.com', 9, { host: 'www', type: 'A', value: '192.0.2.1' }],
  'dns.records.delete': ['a.com', 9],
  'domains.changeNs': ['375-13', ['ns1.a.com']],
};
const orderOnly = ['stop', 'start', 'hardReset', 'restart', 'passwdReset', 'status'].map((name) => `vps.${name}`);
for (const name of [...orderOnly, 'sshKeys.listForOrder', 'ds.trafficUsed']) args[name] = ['34-1'];

describe('grouped methods', () => {
  const calls: Array<{ id: string; params: unknown; options: unknown }> = [];
  const request = (async (id: string, params: unknown, options: unknown) => {
    calls.push({ id, params, options });
    return id;
  }) as unknown as RequestFunction;
  const methods = methodsOf(createGroupedMethods(request));

  it('reach every endpoint of the contract exactly once', async () => {
    calls.length = 0;
    for (const [name, method] of methods) {
      await method(...(args[name] ?? []));
    }
    expect(calls.map((call) => call.id).sort()).toEqual(endpoints.map((e) => e.id).sort());
  });

  it('pass parameters under the documented names, and the options through', async () => {
    calls.length = 0;
    const options = { timeoutMs: 5 };
    const grouped = createGroupedMethods(request);
    await grouped.vps.logDetails('34-1', 7, options);
    await grouped.dns.records.update('a.com', 9, { host: 'www', type: 'A', value: '192.0.2.1', ttl: 600 }, options);
    await grouped.vpn.config('301-1', 'tcp');
    await grouped.vps.stats('34-1', 'io', { start: '2020-01-01', end: '2020-01-02' });
    expect(calls).toEqual([
      { id: 'vps.logDetails', params: { order_id: '34-1', log_id: 7 }, options },
      {
        id: 'dns.updateRecord',
        params: { name: 'a.com', pk: 9, host: 'www', type: 'A', value: '192.0.2.1', ttl: 600 },
        options,
      },
      { id: 'vpn.config', params: { order: '301-1', proto: 'tcp' }, options: undefined },
      {
        id: 'vps.stats',
        params: { order_id: '34-1', field: 'io', start: '2020-01-01', end: '2020-01-02' },
        options: undefined,
      },
    ]);
  });
});
