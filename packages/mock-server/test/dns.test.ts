import { describe, expect, it } from 'vitest';
import { admin, get, post, startMock, state } from './helpers.js';

const DOMAIN = '/api/dns/v0.1/example.com';

type Entry = { id: number; host: string; type: string; value: string };

async function records(mock: { url: string }): Promise<Entry[]> {
  return ((await get(mock, `${DOMAIN}/entry_set.json`)).json as { entry_set: Entry[] }).entry_set;
}

async function zone(mock: { url: string }): Promise<{ text: string; serial: number }> {
  const reply = await get(mock, `${DOMAIN}/zone_file/`);
  expect(reply.status).toBe(200);
  const serial = /^\s+(\d+)\s+; serial$/m.exec(reply.text)?.[1];
  expect(serial, reply.text).toBeDefined();
  return { text: reply.text, serial: Number(serial) };
}

function names(reply: { json: unknown }): string[] {
  return (reply.json as Array<{ name: string }>).map((d) => d.name);
}

describe('DNS records', () => {
  it('add gives fresh pks and the record shows in the list', async () => {
    const mock = await startMock();
    const existing = (await records(mock)).map((r) => r.id);
    const first = await post(mock, `${DOMAIN}/entry_set/add/`, { host: 'api', type: 'A', value: '10.0.0.1' });
    const second = await post(mock, `${DOMAIN}/entry_set/add/`, { host: 'api', type: 'A', value: '10.0.0.2' });
    expect(first.text).toMatch(/^\{"ok": true, "pk": \d+\}$/);
    const pk1 = (first.json as { pk: number }).pk;
    const pk2 = (second.json as { pk: number }).pk;
    expect(existing).not.toContain(pk1);
    expect(pk2).toBeGreaterThan(pk1);
    expect(await records(mock)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: pk1, host: 'api', type: 'A', value: '10.0.0.1' }),
        expect.objectContaining({ id: pk2, host: 'api', type: 'A', value: '10.0.0.2' }),
      ]),
    );
  });

  it('refuses a duplicate record with an error, and keeps one copy', async () => {
    const mock = await startMock();
    await post(mock, `${DOMAIN}/entry_set/add/`, { host: 'dup', type: 'CNAME', value: 'target.example.org' });
    const count = (await records(mock)).length;
    const again = await post(mock, `${DOMAIN}/entry_set/add/`, {
      host: 'DUP',
      type: 'CNAME',
      value: 'Target.Example.org',
    });
    expect(again.status).toBe(200);
    expect(again.json).toEqual({ error: 'Such a record already exists.' });
    expect(await records(mock)).toHaveLength(count);
  });

  it('answers the Russian duplicate text byte for byte in the ru dialect', async () => {
    const mock = await startMock({ dialect: 'ru' });
    // www A 127.0.0.1 is in the seed world.
    const response = await fetch(`${mock.url}${DOMAIN}/entry_set/add/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'host=www&type=A&value=127.0.0.1&apikey=PERSONAL_API_KEY',
    });
    const bytes = Buffer.from(await response.arrayBuffer());
    expect(bytes.includes(Buffer.from('Такая запись уже существует.', 'utf8'))).toBe(true);
    expect(JSON.parse(bytes.toString('utf8'))).toEqual({ error: 'Такая запись уже существует.' });
  });

  it('updates and deletes a record', async () => {
    const mock = await startMock();
    const update = await post(mock, `${DOMAIN}/entry_set/366182/`, { host: 'www', type: 'A', value: '10.2.2.2' });
    expect(update.json).toEqual({ ok: true });
    expect((await records(mock)).find((r) => r.id === 366182)).toMatchObject({ host: 'www', value: '10.2.2.2' });

    // An update that would duplicate another record is refused.
    const clash = await post(mock, `${DOMAIN}/entry_set/366182/`, { host: '@', type: 'A', value: '127.0.0.1' });
    expect(clash.json).toEqual({ error: 'Such a record already exists.' });
    expect((await records(mock)).find((r) => r.id === 366182)?.value).toBe('10.2.2.2');

    expect((await post(mock, `${DOMAIN}/entry_set/366182/delete/`)).json).toEqual({ ok: true });
    expect((await records(mock)).map((r) => r.id)).not.toContain(366182);
    expect((await post(mock, `${DOMAIN}/entry_set/366182/delete/`)).json).toEqual({ error: 'Record not found.' });
    // Record 366182 of test.com is another record and still there.
    const testCom = (await get(mock, '/api/dns/v0.1/test.com/entry_set.json')).json as { entry_set: Entry[] };
    expect(testCom.entry_set.map((r) => r.id)).toContain(366182);
  });

  it('refuses values that do not fit the record type', async () => {
    const mock = await startMock();
    for (const [type, value] of [
      ['A', '300.1.1.1'],
      ['AAAA', '10.0.0.1'],
      ['MX', 'not a host!'],
    ]) {
      const reply = await post(mock, `${DOMAIN}/entry_set/add/`, { host: 'x', type: type!, value: value! });
      expect(reply.json, `${type} ${value}`).toEqual({ error: `Invalid value for a ${type} record.` });
    }
  });
});

describe('zone file', () => {
  it('is rendered from the records, in BIND format', async () => {
    const mock = await startMock();
    const { text } = await zone(mock);
    expect(text).toMatch(/^\$TTL \d+\n@\tIN\tSOA\t/);
    expect(text).toContain('@\t600\tIN\tA\t127.0.0.1\n');
    expect(text).toContain('@\t3600\tIN\tMX\t1 aspmx.l.google.com.\n');
    expect(text).toContain('www\t3600\tIN\tA\t127.0.0.1\n');

    await post(mock, `${DOMAIN}/entry_set/add/`, { host: 'txt', type: 'TXT', value: 'v=spf1 "quoted" -all' });
    await post(mock, `${DOMAIN}/entry_set/366182/delete/`);
    const after = (await zone(mock)).text;
    expect(after).toContain('txt\t3600\tIN\tTXT\t"v=spf1 \\"quoted\\" -all"\n');
    expect(after).not.toContain('www\t');
  });

  it('bumps the SOA serial on every change, and only on a change', async () => {
    const mock = await startMock();
    const serials = [(await zone(mock)).serial];
    await post(mock, `${DOMAIN}/entry_set/add/`, { host: 'a1', type: 'A', value: '10.0.0.1' });
    serials.push((await zone(mock)).serial);
    await post(mock, `${DOMAIN}/entry_set/add/`, { host: 'a2', type: 'A', value: '10.0.0.2' });
    serials.push((await zone(mock)).serial);
    await post(mock, `${DOMAIN}/entry_set/366182/`, { host: 'www', type: 'A', value: '10.0.0.3' });
    serials.push((await zone(mock)).serial);
    await post(mock, `${DOMAIN}/entry_set/366182/delete/`);
    serials.push((await zone(mock)).serial);
    for (let i = 1; i < serials.length; i++) expect(serials[i]).toBeGreaterThan(serials[i - 1]!);

    // A refused change and a read leave the serial alone.
    await post(mock, `${DOMAIN}/entry_set/add/`, { host: 'a1', type: 'A', value: '10.0.0.1' });
    await get(mock, `${DOMAIN}/entry_set.json`);
    expect((await zone(mock)).serial).toBe(serials.at(-1));
  });
});

describe('domain_list.json', () => {
  it('q matches domain names and record values, case-insensitively', async () => {
    const mock = await startMock();
    const list = (q: string) => get(mock, `/api/dns/v0.1/domain_list.json?q=${encodeURIComponent(q)}`);
    expect(names(await get(mock, '/api/dns/v0.1/domain_list.json'))).toEqual(['example.com', 'test.com']);
    expect(names(await list('EXAMPLE'))).toEqual(['example.com']);
    expect(names(await list('10.10.10'))).toEqual(['test.com']);
    expect(names(await list('aspmx'))).toEqual(['example.com']);
    expect(names(await list('.com'))).toEqual(['example.com', 'test.com']);
    expect(await list('no-such-thing')).toMatchObject({ status: 200, json: [] });

    // A value added later is found too.
    await post(mock, '/api/dns/v0.1/test.com/entry_set/add/', {
      host: 'm',
      type: 'CNAME',
      value: 'needle.example.org',
    });
    expect(names(await list('needle'))).toEqual(['test.com']);
  });

  it('tag filters by tag, alone and with q', async () => {
    const mock = await startMock();
    const world = (await state(mock)).json;
    const tenant = world.tenants.find((t) => t.id === 'personal')!;
    tenant.domains.find((d) => d.name === 'test.com')!.tags = ['prod', 'eu'];
    tenant.domains.find((d) => d.name === 'example.com')!.tags = ['eu'];
    expect((await admin(mock, 'PUT', '/state', world)).status).toBe(200);

    const list = (query: string) => get(mock, `/api/dns/v0.1/domain_list.json?${query}`);
    expect(names(await list('tag=prod'))).toEqual(['test.com']);
    expect(names(await list('tag=eu'))).toEqual(['example.com', 'test.com']);
    expect(names(await list('tag=eu&q=example'))).toEqual(['example.com']);
    expect(names(await list('tag=none'))).toEqual([]);
    expect((await list('tag=prod')).json).toEqual([expect.objectContaining({ tags: ['prod', 'eu'] })]);
  });
});

describe('domains', () => {
  it('add_domain creates a zone with an A record for the IP; delete_domain removes it', async () => {
    const mock = await startMock();
    const added = await post(mock, '/api/dns/v0.1/add_domain/', { name: 'Fresh.Example', ip: '10.7.7.7' });
    expect(added.json).toEqual({ ok: true, name: 'fresh.example' });
    const entries = (await get(mock, '/api/dns/v0.1/fresh.example/entry_set.json')).json as { entry_set: Entry[] };
    expect(entries.entry_set).toEqual([expect.objectContaining({ host: '', type: 'A', value: '10.7.7.7' })]);

    expect((await post(mock, '/api/dns/v0.1/fresh.example/delete_domain/')).json).toEqual({ ok: true });
    expect((await get(mock, '/api/dns/v0.1/fresh.example/entry_set.json')).json).toEqual({
      error: 'Domain not found.',
    });
  });

  it("refuses another tenant's domain", async () => {
    const mock = await startMock();
    const reply = await post(mock, '/api/dns/v0.1/add_domain/', { name: 'other-tenant.net', ip: '10.0.0.1' });
    expect(reply.json).toEqual({ error: 'This domain is already in use.' });
  });
});
