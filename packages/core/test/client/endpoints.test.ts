// Every one of the 37 endpoints, through its grouped method, against the real mock in both
// dialects: the result is normalized, and the wire carries the key where the documents say
// (GET: query string; POST: form body).
import { describe, expect, it } from 'vitest';
import {
  createFornexClient,
  type Dialect,
  type EndpointId,
  endpoints,
  type FornexClient,
  getEndpoint,
} from '../../src/index.js';
import { journal, publicKey, useMock } from './helpers.js';

interface Case {
  readonly call: (client: FornexClient) => Promise<unknown>;
  readonly check: (result: never, dialect: Dialect) => void;
}

// One entry per endpoint id: the mapped type makes a missing endpoint a compile error.
const cases: { [Id in EndpointId]: Case } = {
  'account.balance': {
    call: (c) => c.account.balance(),
    check: (r) => expect(r).toEqual({ balance: 91, currency: 'EUR' }),
  },
  'account.info': {
    call: (c) => c.account.info(),
    check: (r) => expect(r).toEqual({ email: 'example@fornex.com', name: 'Example Account' }),
  },
  'account.invoices': {
    call: (c) => c.account.invoices(),
    check: (r) => expect(r).toEqual({ unpaid_invoices_count: 1, unpaid_invoices_amount: 100, currency: 'EUR' }),
  },
  'orders.list': {
    call: (c) => c.orders.list(),
    check: (r: Array<Record<string, unknown>>, dialect) => {
      const order = r.find((o) => o.id === '34-1234');
      expect(order).toMatchObject({ hostname: 'srv-123.fornex.org', ipaddress_set: ['123.123.123.123'] });
      if (dialect === 'en') expect(order).toMatchObject({ tariff_id: 33, tariff_price: 140 });
      else expect(order).not.toHaveProperty('tariff_id');
    },
  },
  'plans.backups': {
    call: (c) => c.plans.backups(),
    check: (r) => expect(r).toContainEqual({ price: 4.5, space: 150, units: 'Gb' }),
  },
  'plans.dedicated': {
    call: (c) => c.plans.dedicated(),
    check: (r: Array<Record<string, unknown>>, dialect) =>
      expect(r[0]).toMatchObject(
        dialect === 'en' ? { id: 101, location: 'DE', locations: ['DE'] } : { id: 101, locations: [] },
      ),
  },
  'plans.vpn': {
    call: (c) => c.plans.vpn(),
    check: (r) =>
      expect(r).toEqual([{ available_locations: ['DE', 'NL', 'US', 'RU'], type: 'dedicated', id: 1, price: 10 }]),
  },
  'plans.vps': {
    call: (c) => c.plans.vps(),
    check: (r: Array<{ id: number }>) => expect(r.map((p) => p.id)).toEqual([433, 101]),
  },
  'plans.hosting': {
    call: (c) => c.plans.hosting(),
    check: (r) => expect(r).toMatchObject([{ databases: 2, mail_domains: 2, mailboxes: 20, sites: 2 }]),
  },
  'vps.logDetails': {
    call: (c) => c.vps.logDetails('34-1234', 222287),
    check: (r) => expect(r).toMatchObject({ pk: 222287, completed: false, job_action: 'set_root_passwd' }),
  },
  'vps.stop': { call: (c) => c.vps.stop('34-177054'), check: (r) => expect(r).toEqual({ ok: true }) },
  'vps.start': { call: (c) => c.vps.start('34-177054'), check: (r) => expect(r).toEqual({ ok: true }) },
  'vps.hardReset': { call: (c) => c.vps.hardReset('34-1234'), check: (r) => expect(r).toEqual({ ok: true }) },
  'vps.restart': { call: (c) => c.vps.restart('34-1234'), check: (r) => expect(r).toEqual({ ok: true }) },
  'vps.passwdReset': {
    call: (c) => c.vps.passwdReset('34-177054'),
    check: (r, dialect) =>
      expect(r).toEqual(
        dialect === 'en' ? { passwd: expect.any(String), resp_id: 1234 } : { passwd: expect.any(String) },
      ),
  },
  'vps.stats': {
    call: (c) => c.vps.stats('34-177054', 'traffic', { start: '2015-11-16', end: '2015-11-17' }),
    check: (r: { series: Array<{ data: number[] }> }) => expect(r.series[0]?.data).toHaveLength(3),
  },
  'vps.status': { call: (c) => c.vps.status('34-177054'), check: (r) => expect(r).toEqual({ status: 'off' }) },
  'sshKeys.add': {
    call: (c) => c.sshKeys.add({ title: 'ci', key: publicKey }),
    check: (r) => expect(r).toEqual({ id: 100, title: 'ci', key: publicKey, date: expect.any(String) }),
  },
  'sshKeys.addToOrder': {
    call: (c) => c.sshKeys.addToOrder('34-177054', 99),
    check: (r) => expect(r).toEqual({ ok: true }),
  },
  'sshKeys.delete': { call: (c) => c.sshKeys.delete(99), check: (r) => expect(r).toEqual({ ok: true }) },
  'sshKeys.deleteFromOrder': {
    call: (c) => c.sshKeys.deleteFromOrder('34-177054', '74'),
    check: (r) => expect(r).toEqual({ ok: true }),
  },
  'sshKeys.listForOrder': {
    call: (c) => c.sshKeys.listForOrder('34-177054'),
    check: (r: Array<{ id: number }>) => expect(r.map((k) => k.id)).toEqual([67, 74]),
  },
  'sshKeys.list': {
    call: (c) => c.sshKeys.list(),
    check: (r: Array<{ id: number }>) => expect(r.map((k) => k.id)).toEqual([67, 74, 99]),
  },
  'ds.traffic': {
    call: (c) => c.ds.traffic('34-5678', { period: 'year', port: 1 }),
    check: (r) => expect(r).toMatchObject({ period: 'year', data: expect.any(Array) }),
  },
  'ds.trafficUsed': {
    call: (c) => c.ds.trafficUsed('34-1234'),
    check: (r) => expect(r).toMatchObject({ limit: expect.any(Number), used: expect.any(Number) }),
  },
  'tickets.webhookSet': {
    call: (c) => c.tickets.webhookSet('http://127.0.0.1:9/hook'),
    check: (r) => expect(r).toEqual({ ok: true }),
  },
  'tickets.webhookInfo': {
    call: (c) => c.tickets.webhookInfo(),
    check: (r) =>
      expect(r).toMatchObject({ url: expect.stringContaining('hooks.slack.com'), last_error_message: null }),
  },
  'vpn.config': {
    call: (c) => c.vpn.config('301-12312', 'udp'),
    check: (r) => expect(r).toMatch(/^client$/m),
  },
  'dns.addDomain': {
    call: (c) => c.dns.addDomain('new-domain.org', '192.0.2.7'),
    check: (r) => expect(r).toEqual({ ok: true, name: 'new-domain.org' }),
  },
  'dns.addRecord': {
    call: (c) => c.dns.records.add('example.com', { host: 'api', type: 'A', value: '192.0.2.8', ttl: 600 }),
    check: (r) => expect(r).toEqual({ ok: true, pk: 366183 }),
  },
  'dns.deleteDomain': { call: (c) => c.dns.deleteDomain('test.com'), check: (r) => expect(r).toEqual({ ok: true }) },
  'dns.deleteRecord': {
    call: (c) => c.dns.records.delete('example.com', 366182),
    check: (r) => expect(r).toEqual({ ok: true }),
  },
  'dns.domainList': {
    call: (c) => c.dns.domainList({ q: 'test' }),
    check: (r: Array<{ name: string; entry_set: unknown[] }>, dialect) => {
      expect(r.map((d) => d.name)).toEqual(['test.com']);
      const record = { id: 366182, host: '', type: 'A', value: '10.10.10.18' };
      expect(r[0]?.entry_set).toEqual([dialect === 'en' ? { ...record, ttl: null } : record]);
    },
  },
  'dns.records': {
    call: (c) => c.dns.records.list('Example.COM', { q: 'MX' }),
    check: (r, dialect) => {
      const record = { id: 12345, host: '', prio: 1, type: 'MX', value: 'aspmx.l.google.com' };
      expect(r).toEqual({ entry_set: [dialect === 'en' ? { ...record, ttl: null } : record] });
    },
  },
  'dns.updateRecord': {
    call: (c) =>
      c.dns.records.update('example.com', 366182, { host: 'www', type: 'A', value: '192.0.2.9', ttl: '3600' }),
    check: (r) => expect(r).toEqual({ ok: true }),
  },
  'dns.zoneFile': {
    call: (c) => c.dns.zoneFile('example.com'),
    check: (r) => expect(r).toMatch(/^www\s+3600\s+IN\s+A\s+127\.0\.0\.1$/m),
  },
  'domains.changeNs': {
    call: (c) => c.domains.changeNs('375-13', 'ns1.company.com, ns2.company.com'),
    check: (r) => expect(r).toEqual({ ok: true }),
  },
};

describe('the cases', () => {
  // The mapped type already makes a case per endpoint id; this checks what it cannot: that the
  // cases go through the grouped methods, each through its own, and leave none out.
  it('call every grouped method, one each', async () => {
    const methods: string[] = [];
    const called: string[] = [];
    const spy = (group: object, prefix: string): object =>
      Object.fromEntries(
        Object.entries(group).map(([key, value]) => {
          const name = `${prefix}${key}`;
          if (typeof value !== 'function') return [key, spy(value, `${name}.`)];
          methods.push(name);
          return [key, async () => void called.push(name)];
        }),
      );
    const { request: _request, ...grouped } = createFornexClient({ apiKey: 'k' });
    const client = { request: () => Promise.reject(new Error('a case called request')), ...spy(grouped, '') };
    for (const { call } of Object.values<Case>(cases)) await call(client as unknown as FornexClient);
    expect(methods).toHaveLength(endpoints.length);
    expect(called.sort()).toEqual(methods.sort());
  });
});

describe.each(['en', 'ru'] as const)('every endpoint, %s dialect', (dialect) => {
  const handle = useMock(dialect);

  it.each(Object.keys(cases) as EndpointId[])('%s', async (id) => {
    const { call, check } = cases[id];
    const result = await call(handle.client());
    check(result as never, dialect);

    const [entry, ...more] = await journal(handle.mock);
    expect(more).toEqual([]);
    const endpoint = getEndpoint(id);
    expect(entry).toMatchObject({ endpointId: id, method: endpoint.method, status: 200 });
    // The key travels where the documents put it, and only there.
    const [withKey, withoutKey] = endpoint.method === 'GET' ? ['query', 'body'] : ['body', 'query'];
    expect(new URLSearchParams(entry?.[withKey as 'query']).get('apikey')).toBe('[REDACTED]');
    expect(entry?.[withoutKey as 'query']).not.toContain('apikey');
  });
});
