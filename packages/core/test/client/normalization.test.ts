// Normalization across dialects and the request encodings, against the real mock.
import { describe, expect, it } from 'vitest';
import { FornexError, type OrderId } from '../../src/index.js';
import { changeWorld, journal, rejection, useMock } from './helpers.js';

describe.each(['en', 'ru'] as const)('normalization, %s dialect', (dialect) => {
  const handle = useMock(dialect);

  it('turns the power actions\' "True" into true, and change_ns\'s list into one object', async () => {
    const client = handle.client();
    expect(await client.vps.start('34-177054')).toEqual({ ok: true });
    expect(await client.domains.changeNs('375-13', ['ns1.company.com', 'ns2.company.com'])).toEqual({ ok: true });
  });

  it('gives dedicated plans a locations list, from a location string or a locations list', async () => {
    await changeWorld(handle.mock, (state) => {
      const [plan] = state.catalog.dedicated;
      state.catalog.dedicated = [
        { ...plan, id: 1, location: 'DE' },
        { ...plan, id: 2, location: undefined, locations: ['NL', 'US'] },
        { ...plan, id: 3, location: undefined },
      ];
    });
    const plans = await handle.client().plans.dedicated();
    const where = plans.map(({ id, location, locations }) => ({ id, location, locations }));
    // The ru document has no location at all: the mock drops it, the client gives an empty list.
    expect(where).toEqual(
      dialect === 'en'
        ? [
            { id: 1, location: 'DE', locations: ['DE'] },
            { id: 2, location: 'NL', locations: ['NL', 'US'] },
            { id: 3, location: undefined, locations: [] },
          ]
        : [1, 2, 3].map((id) => ({ id, location: undefined, locations: [] })),
    );
  });

  it('gives hosting plan counts as numbers', async () => {
    const [plan] = await handle.client().plans.hosting();
    expect([typeof plan?.databases, typeof plan?.mail_domains, typeof plan?.mailboxes]).toEqual([
      'number',
      'number',
      'number',
    ]);
  });

  it('answers one SSH key object for ssh_keys/add, which the list then holds', async () => {
    const client = handle.client();
    const key = await client.sshKeys.add({ title: 'laptop', key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyL laptop' });
    expect(Array.isArray(key)).toBe(false);
    expect(await client.sshKeys.list()).toContainEqual(key);
  });

  it('exposes passwd, and resp_id where the dialect sends it, which log_details then follows', async () => {
    const client = handle.client();
    const reset = await client.vps.passwdReset('34-177054');
    expect(reset.passwd).toMatch(/^\S{8,}$/);
    if (dialect === 'ru') {
      expect(reset).not.toHaveProperty('resp_id');
      return;
    }
    expect(reset.resp_id).toBe(1234);
    const details = await client.vps.logDetails('34-177054', reset.resp_id as number);
    expect(details).toMatchObject({ pk: 1234, completed: false, job_state: 'ready' });
  });
});

describe('request encoding', () => {
  const handle = useMock('en');

  it('sends nss as the documented comma-separated string, from a list or a string', async () => {
    const client = handle.client();
    await client.domains.changeNs('375-13', ['ns1.company.com', 'ns2.company.com']);
    await client.request('domains.changeNs', { order_id: '375-13', nss: 'ns1.company.com,ns2.company.com' });
    const bodies = (await journal(handle.mock)).map((entry) => entry.body);
    expect(bodies).toEqual(Array(2).fill('nss=ns1.company.com%2Cns2.company.com&apikey=[REDACTED]'));
  });

  it("uses a dialect's own documented path when the client is pinned to it", async () => {
    await handle.client({ dialect: 'ru' }).domains.changeNs('375-13', 'ns1.company.com');
    await handle.client().domains.changeNs('375-13', 'ns1.company.com');
    expect((await journal(handle.mock)).map((entry) => entry.path)).toEqual([
      '/change_ns/375-13/',
      '/api/change_ns/375-13/',
    ]);
  });

  it('writes canonical values: ttl and ids as digits, a domain in lower case', async () => {
    await handle
      .client()
      .dns.records.update('Example.COM', '366182', { host: 'www', type: 'A', value: '192.0.2.1', ttl: '600' });
    const [entry] = await journal(handle.mock);
    expect(entry?.path).toBe('/api/dns/v0.1/example.com/entry_set/366182/');
    expect(entry?.body).toBe('host=www&type=A&value=192.0.2.1&ttl=600&apikey=[REDACTED]');
  });

  it('puts GET parameters in the query string', async () => {
    await handle.client().ds.traffic('34-5678', { period: 'month', port: 0 });
    const [entry] = await journal(handle.mock);
    expect(entry?.query).toBe('period=month&port=0&apikey=[REDACTED]');
  });

  it.each([
    ['an order id with a slash', '34-1/../../account/balance'],
    ['an order id with a query', '34-1?x=1'],
    ['an order id of dots', '..'],
  ])('never lets %s change the path: refused before sending', async (_what, orderId: OrderId) => {
    const error = await rejection(handle.client().vps.restart(orderId));
    expect(error).toBeInstanceOf(FornexError);
    expect(error).toMatchObject({ code: 'validation', status: undefined, endpointId: 'vps.restart', attempts: 0 });
    expect(await journal(handle.mock)).toEqual([]);
  });

  it('refuses an undocumented ttl, a misspelt parameter and an unknown id before sending', async () => {
    const client = handle.client();
    const untyped = client.request as (id: string, params?: unknown) => Promise<unknown>;
    const record = { name: 'example.com', host: 'www', type: 'A', value: '192.0.2.1' };
    const problems = await Promise.all([
      rejection(untyped('dns.addRecord', { ...record, ttl: 60 })),
      rejection(untyped('vps.restart', { orderId: '34-177054' })),
      rejection(untyped('vps.reboot', { order_id: '34-177054' })),
    ]);
    expect(problems.map((e) => [(e as FornexError).code, (e as FornexError).issues?.[0]?.path])).toEqual([
      ['validation', 'ttl'],
      ['validation', 'order_id'],
      ['validation', undefined],
    ]);
    expect((problems[1] as FornexError).issues?.map((issue) => issue.path)).toContain('(root)');
    expect(await journal(handle.mock)).toEqual([]);
  });

  it('checks the answer against the pinned dialect only', async () => {
    const error = await rejection(handle.client({ dialect: 'ru' }).vps.passwdReset('34-177054'));
    expect(error).toMatchObject({ code: 'validation', status: 200, body: { resp_id: 1234 } });
  });
});
