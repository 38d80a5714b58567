import { describe, expect, it } from 'vitest';
import {
  addFaults,
  admin,
  advanceClock,
  errorOf,
  get,
  LIMITED,
  OTHER,
  PERSONAL,
  post,
  type Reply,
  startMock,
  state,
} from './helpers.js';

const NEW_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAdminApiTestKey admin@test';

describe('POST /__mock/reset', () => {
  it('puts the world back to its seed, clears the faults and rewinds the clock', async () => {
    const mock = await startMock();
    const seed = await state(mock);

    expect((await post(mock, '/api/ssh_keys/add/', { title: 'x', key: NEW_KEY })).status).toBe(200);
    await addFaults(mock, { path: '/api/account/info', status: 503 });
    await advanceClock(mock, 30 * 86_400_000);
    expect((await state(mock)).text).not.toBe(seed.text);

    const reset = await admin(mock, 'POST', '/reset');
    expect(reset.status).toBe(200);
    expect(reset.json).toEqual({ ok: true });
    expect((await state(mock)).text).toBe(seed.text);
    expect((await admin(mock, 'GET', '/faults')).json).toEqual({ faults: [] });
    expect((await get(mock, '/api/account/info')).status).toBe(200);
    // Rewound: less than the 30 days we advanced above are left between mock and real time.
    const { nowMs } = (await admin(mock, 'GET', '/clock')).json as { nowMs: number };
    expect(nowMs - Date.now()).toBeLessThan(86_400_000);
    // The id sequences are back too: the same key gets the same id again.
    const again = await post(mock, '/api/ssh_keys/add/', { title: 'x', key: NEW_KEY });
    expect((again.json as { id: number }).id).toBe(seed.json.sequences.sshKey);
  });
});

describe('GET/PUT /__mock/state', () => {
  it('round-trips: a world read, changed, and put back behaves as before', async () => {
    const mock = await startMock();
    const before = await state(mock);
    const keysBefore = await get(mock, '/api/ssh_keys/');

    await post(mock, '/api/ssh_keys/add/', { title: 'x', key: NEW_KEY });
    await post(mock, '/api/dns/v0.1/example.com/entry_set/add/', { host: 'rt', type: 'A', value: '10.1.2.3' });
    expect((await get(mock, '/api/ssh_keys/')).text).not.toBe(keysBefore.text);

    const put = await admin(mock, 'PUT', '/state', before.text);
    expect(put.status).toBe(200);
    expect(put.json).toEqual({ ok: true });
    // Equal as data (the schema may reorder an object's keys, which JSON does not care about).
    expect((await state(mock)).json).toStrictEqual(before.json);
    expect((await get(mock, '/api/ssh_keys/')).text).toBe(keysBefore.text);
    // Sequences round-trip: the next id is the one the first add got.
    const added = await post(mock, '/api/ssh_keys/add/', { title: 'x', key: NEW_KEY });
    expect((added.json as { id: number }).id).toBe(before.json.sequences.sshKey);
  });

  it('stays loadable after every kind of change the API and admin API can make', async () => {
    const mock = await startMock({ scale: 2 });
    // Each change must have been made, or the test proves nothing.
    const ok = async (reply: Promise<Reply>) => expect(errorOf(await reply), (await reply).text).toBeUndefined();
    await ok(post(mock, '/api/tickets/webhook_set/', { url: '' }));
    await ok(post(mock, '/api/ssh_keys/add/', { title: 'x', key: NEW_KEY }));
    await ok(post(mock, '/api/ssh_keys/34-177054/add/', { key_pk: '99' }));
    await ok(post(mock, '/api/ssh_keys/delete/', { key_pk: '74' }));
    await ok(post(mock, '/api/vps/restart/34-177054/'));
    await ok(get(mock, '/api/vps/passwd_reset/34-177054/'));
    await ok(post(mock, '/api/dns/v0.1/add_domain/', { name: 'loadable.example', ip: '2001:db8::1' }));
    const txt = { host: '@', type: 'TXT', value: 'a "b"', ttl: '600' };
    await ok(post(mock, '/api/dns/v0.1/example.com/entry_set/add/', txt));
    const mx = { host: '*', type: 'MX', value: 'mx.a.org', prio: '5' };
    await ok(post(mock, '/api/dns/v0.1/example.com/entry_set/366182/', mx));
    await ok(post(mock, '/api/dns/v0.1/test.com/delete_domain/'));
    await ok(post(mock, '/api/change_ns/375-13/', { nss: 'ns1.a.org' }));
    // No webhook is configured, so these answer a delivery error, but the comments are counted.
    expect((await admin(mock, 'POST', '/tickets/1/comments', { text: 't' })).status).toBe(200);
    expect((await admin(mock, 'POST', '/tickets/2/comments', { apikey: OTHER })).status).toBe(200);

    const changed = await state(mock);
    expect((await admin(mock, 'PUT', '/state', changed.text)).status).toBe(200);
    expect((await state(mock)).json).toStrictEqual(changed.json);
  });

  it('moves a world between two servers: the second answers exactly like the first', async () => {
    const first = await startMock();
    const second = await startMock();
    await post(first, '/api/dns/v0.1/example.com/entry_set/add/', { host: 'moved', type: 'A', value: '10.9.9.9' });

    expect((await admin(second, 'PUT', '/state', (await state(first)).text)).status).toBe(200);
    for (const path of ['/api/dns/v0.1/example.com/entry_set.json', '/api/ssh_keys/', '/api/orders/list']) {
      expect((await get(second, path)).text).toBe((await get(first, path)).text);
    }
  });

  it('a PUT of a modified world takes effect', async () => {
    const mock = await startMock();
    const world = (await state(mock)).json;
    world.tenants[0]!.account.balance = 1234.5;
    world.keys.push({ key: 'FRESH_KEY', tenant: 'other', dnsEdit: false });

    expect((await admin(mock, 'PUT', '/state', world)).status).toBe(200);
    expect((await get(mock, '/api/account/balance')).text).toBe('{"balance": 1234.5, "currency": "EUR"}');
    // The new key opens the other tenant at once (the key index is rebuilt).
    const info = await get(mock, '/api/account/info', 'FRESH_KEY');
    expect(info.json).toEqual({ email: 'other@example.org', name: 'Other Tenant' });
  });

  it('refuses garbage and invalid worlds with 400 and a clear error, leaving the running world untouched', async () => {
    const mock = await startMock();
    await post(mock, '/api/ssh_keys/add/', { title: 'x', key: NEW_KEY });
    const before = await state(mock);
    const valid = before.json;

    const cases: Array<{ body: unknown; error: RegExp }> = [
      { body: 'this is not json', error: /not valid JSON/ },
      { body: '', error: /invalid world state/ },
      { body: [], error: /invalid world state/ },
      { body: { ...valid, version: 2 }, error: /version/ },
      { body: { ...valid, tenants: 'none' }, error: /tenants/ },
      // Well-formed JSON, but a key opens a tenant that does not exist.
      { body: { ...valid, keys: [{ key: 'K', tenant: 'ghost', dnsEdit: true }] }, error: /keys\.0\.tenant.*ghost/ },
      { body: { ...valid, sequences: { ...valid.sequences, record: -5 } }, error: /sequences\.record/ },
    ];
    for (const { body, error } of cases) {
      const reply = await admin(mock, 'PUT', '/state', body);
      expect(reply.status, JSON.stringify(body).slice(0, 80)).toBe(400);
      expect(errorOf(reply)).toMatch(error);
    }
    expect((await state(mock)).text).toBe(before.text);
    expect((await get(mock, '/api/account/balance')).status).toBe(200);
  });
});

describe('GET/DELETE /__mock/requests', () => {
  it('records method, path, status and endpoint id of every API request', async () => {
    const mock = await startMock();
    await get(mock, '/api/account/balance');
    await post(mock, '/api/vps/restart/34-177054/');
    await get(mock, '/api/no/such/thing');
    await get(mock, '/api/account/info', 'WRONG');

    const reply = await admin(mock, 'GET', '/requests');
    expect(reply.status).toBe(200);
    const { capacity, requests } = reply.json as { capacity: number; requests: Array<Record<string, unknown>> };
    expect(capacity).toBe(1000);
    expect(requests.map((r) => [r.method, r.path, r.status, r.endpointId])).toEqual([
      ['GET', '/api/account/balance', 200, 'account.balance'],
      ['POST', '/api/vps/restart/34-177054/', 200, 'vps.restart'],
      ['GET', '/api/no/such/thing', 404, null],
      ['GET', '/api/account/info', 403, 'account.info'],
    ]);
    // Admin calls are not API traffic and stay out of the journal.
    expect(requests.some((r) => String(r.path).startsWith('/__mock'))).toBe(false);
    const seqs = requests.map((r) => r.seq as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));

    expect((await admin(mock, 'DELETE', '/requests')).json).toEqual({ ok: true });
    expect((await admin(mock, 'GET', '/requests')).json).toMatchObject({ requests: [] });
  });

  it('never writes an API key down: redacted in the query and in POST bodies', async () => {
    const mock = await startMock();
    await get(mock, '/api/account/balance');
    await get(mock, '/api/account/balance', LIMITED);
    await get(mock, '/api/account/balance', OTHER);
    await post(mock, '/api/ssh_keys/add/', { title: 'x', key: NEW_KEY });
    // The key in another field, in upper case, first in the body, percent-encoded, and in a POST query.
    await post(mock, '/api/ssh_keys/add/', { title: PERSONAL, key: NEW_KEY });
    await post(mock, '/api/ssh_keys/delete/', { APIKEY: PERSONAL, key_pk: '1' }, null);
    // The server decodes this to apikey=PERSONAL_API_KEY and lets it in; the journal must see that too.
    const encoded = await fetch(`${mock.url}/api/ssh_keys/delete/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'api%6Bey=PERSONAL%5FAPI%5FKEY&key_pk=1',
    });
    expect(await encoded.json()).toEqual({ error: 'Key not found.' });
    await fetch(`${mock.url}/api/vps/restart/34-177054/?apikey=${PERSONAL}`, { method: 'POST' });
    // Under an injected fault too.
    await addFaults(mock, { path: '/api/account/info', status: 500, times: 1 });
    await get(mock, '/api/account/info');

    const journal = (await admin(mock, 'GET', '/requests')).text;
    expect(JSON.parse(journal).requests).toHaveLength(9);
    for (const key of [PERSONAL, LIMITED, OTHER, 'PERSONAL%5FAPI%5FKEY']) expect(journal).not.toContain(key);
    expect(journal).toContain('apikey=[REDACTED]');
    expect(journal).toContain('title=[REDACTED]');
  });

  it('tells its capacity and how many entries it holds', async () => {
    const mock = await startMock({ journalSize: 5 });
    const journal = async () => (await admin(mock, 'GET', '/requests')).json as { capacity: number; count: number };
    expect(await journal()).toMatchObject({ capacity: 5, count: 0 });
    for (let i = 0; i < 3; i++) await get(mock, '/api/account/balance');
    expect(await journal()).toMatchObject({ capacity: 5, count: 3 });
    for (let i = 0; i < 5; i++) await get(mock, '/api/account/balance');
    expect(await journal()).toMatchObject({ capacity: 5, count: 5 });
    await admin(mock, 'DELETE', '/requests');
    expect(await journal()).toMatchObject({ capacity: 5, count: 0 });
  });

  it('is a ring buffer: with journalSize 5, eight requests leave exactly the last five', async () => {
    const mock = await startMock({ journalSize: 5 });
    for (let n = 0; n < 8; n++) await get(mock, `/api/account/balance?n=${n}`);

    const { capacity, requests } = (await admin(mock, 'GET', '/requests')).json as {
      capacity: number;
      requests: Array<{ query: string; seq: number }>;
    };
    expect(capacity).toBe(5);
    expect(requests.map((r) => r.query)).toEqual([3, 4, 5, 6, 7].map((n) => `n=${n}&apikey=[REDACTED]`));
    expect(requests.map((r) => r.seq)).toEqual([4, 5, 6, 7, 8]);

    const limited = (await admin(mock, 'GET', '/requests?limit=2')).json as { requests: Array<{ seq: number }> };
    expect(limited.requests.map((r) => r.seq)).toEqual([7, 8]);
    expect((await admin(mock, 'GET', '/requests?limit=-1')).status).toBe(400);
  });
});

describe('clock', () => {
  it('GET /__mock/clock tells mock time; POST /__mock/clock/advance moves it forward', async () => {
    const mock = await startMock();
    const before = (await admin(mock, 'GET', '/clock')).json as { nowMs: number; now: string };
    expect(new Date(before.now).getTime()).toBe(before.nowMs);

    const advanced = await admin(mock, 'POST', '/clock/advance', { ms: 7 * 86_400_000 });
    expect(advanced.status).toBe(200);
    const after = advanced.json as { nowMs: number; now: string };
    expect(after.nowMs - before.nowMs).toBeGreaterThanOrEqual(7 * 86_400_000);
    expect(new Date(after.now).getTime()).toBe(after.nowMs);
  });

  it('refuses a bad advance with 400', async () => {
    const mock = await startMock();
    const before = (await admin(mock, 'GET', '/clock')).json as { nowMs: number };
    for (const body of [{ ms: -1 }, { ms: 1.5 }, { ms: '10' }, {}, 'nope', undefined]) {
      const reply = await admin(mock, 'POST', '/clock/advance', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(reply)).toMatch(/clock advance|JSON/);
    }
    // Nothing moved: mock time is still within a day of where it was.
    const after = (await admin(mock, 'GET', '/clock')).json as { nowMs: number };
    expect(after.nowMs - before.nowMs).toBeLessThan(86_400_000);
  });
});

describe('POST /__mock/tickets/:id/comments', () => {
  it('counts the comment on the ticket and reports the delivery', async () => {
    const mock = await startMock();
    // No webhook: nothing leaves the machine, and the answer says why.
    await post(mock, '/api/tickets/webhook_set/', { url: '' });
    const reply = await admin(mock, 'POST', '/tickets/1/comments', { text: 'hello' });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      ticket: 1,
      delivered: false,
      url: null,
      error: 'no webhook is configured',
      text: 'hello',
    });
    const tickets = (await state(mock)).json.tenants[0]!.tickets;
    expect(tickets.find((t) => t.id === 1)?.comments).toBe(1);
  });

  it('refuses a bad ticket id, a bad body and an unknown key', async () => {
    const mock = await startMock();
    expect((await admin(mock, 'POST', '/tickets/abc/comments', {})).status).toBe(400);
    // Ticket 0 would enter the world as a ticket the state schema refuses.
    expect((await admin(mock, 'POST', '/tickets/0/comments', {})).status).toBe(400);
    expect((await admin(mock, 'POST', '/tickets/1/comments', { text: 5 })).status).toBe(400);
    expect((await admin(mock, 'POST', '/tickets/1/comments', { txet: 'typo' })).status).toBe(400);
    const unknown = await admin(mock, 'POST', '/tickets/1/comments', { apikey: 'NOPE' });
    expect(unknown.status).toBe(404);
    expect(errorOf(unknown)).toMatch(/apikey/);
  });

  it("refuses a comment on a ticket the tenant does not have (another tenant's included) and creates nothing", async () => {
    const mock = await startMock();
    const before = (await state(mock)).text;
    // Ticket 2 is the other tenant's; 999 is nobody's.
    for (const id of [2, 999]) {
      const reply = await admin(mock, 'POST', `/tickets/${id}/comments`, { text: 'x' });
      expect(reply.status).toBe(404);
      expect(errorOf(reply)).toMatch(new RegExp(`no ticket ${id}`));
    }
    expect((await state(mock)).text).toBe(before);
  });
});

describe('GET /__mock/openapi.json', () => {
  it('describes the API as OpenAPI 3.1.0 with every operation', async () => {
    const mock = await startMock();
    const reply = await admin(mock, 'GET', '/openapi.json');
    expect(reply.status).toBe(200);
    const doc = reply.json as {
      openapi: string;
      servers: Array<{ url: string }>;
      paths: Record<string, Record<string, { operationId?: string }>>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.servers[0]?.url).toBe(mock.url);
    const operationIds = Object.values(doc.paths).flatMap((item) => Object.values(item).map((op) => op.operationId));
    expect(operationIds.length).toBeGreaterThanOrEqual(37);
    expect(operationIds).toContain('vps.restart');
    expect(operationIds).toContain('dns.addRecord');
  });
});

describe('unknown admin paths', () => {
  it('answer 404 JSON, never reach the API handler, faults or journal', async () => {
    const mock = await startMock();
    // A catch-all fault must not break the admin API.
    await addFaults(mock, { path: '*', status: 500 });
    for (const [method, path] of [
      ['GET', '/nope'],
      ['GET', '/reset'],
      ['POST', '/state'],
      ['GET', ''],
    ] as const) {
      const reply = await admin(mock, method, path);
      expect(reply.status, `${method} /__mock${path}`).toBe(404);
      expect(reply.headers.get('content-type')).toMatch(/application\/json/);
      expect(errorOf(reply)).toMatch(/no admin endpoint/);
    }
    await admin(mock, 'DELETE', '/faults');
    expect((await admin(mock, 'GET', '/requests')).json).toMatchObject({ requests: [] });
  });

  it('refuses a world with duplicate keys, tenants, orders or records, and keeps the running one', async () => {
    const mock = await startMock();
    const world = (await state(mock)).json;
    const dupKey = structuredClone(world);
    dupKey.keys.push({ ...dupKey.keys[0]! });
    const put = await admin(mock, 'PUT', '/state', dupKey);
    expect(put.status).toBe(400);
    expect(String(errorOf(put))).toMatch(/keys\.3: duplicate key PERSONAL_API_KEY/);
    const dupRecord = structuredClone(world);
    const records = dupRecord.tenants[0]!.domains[0]!.records;
    records.push({ ...records[0]! });
    const again = await admin(mock, 'PUT', '/state', dupRecord);
    expect(again.status).toBe(400);
    expect(String(errorOf(again))).toMatch(/duplicate record id 12344/);
    expect((await state(mock)).json).toEqual(world);
  });
});
