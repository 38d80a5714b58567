import { describe, expect, it } from 'vitest';
import { errorOf, get, LIMITED, OTHER, PERSONAL, post, read, startMock } from './helpers.js';

const NO_KEY = 'Access denied: API_KEY is not specified or is wrong.';
const NO_RIGHT = 'Access denied: insufficient permission for this function.';

function ids(reply: { json: unknown }, field: 'id' | 'name' = 'id'): unknown[] {
  return (reply.json as Array<Record<string, unknown>>).map((item) => item[field]);
}

describe('PERSONAL_API_KEY and LIMITED_API_KEY', () => {
  it('see the same data', async () => {
    const mock = await startMock();
    for (const path of ['/api/orders/list', '/api/ssh_keys/', '/api/dns/v0.1/domain_list.json', '/api/account/info']) {
      const personal = await get(mock, path, PERSONAL);
      expect(personal.status).toBe(200);
      expect((await get(mock, path, LIMITED)).text).toBe(personal.text);
    }
  });

  it('LIMITED_API_KEY gets 403 on the protected DNS methods, and changes nothing', async () => {
    const mock = await startMock();
    const add = await post(mock, '/api/dns/v0.1/add_domain/', { name: 'limited.example', ip: '10.0.0.1' }, LIMITED);
    expect(add.status).toBe(403);
    expect(add.json).toEqual({ error: NO_RIGHT });
    const del = await post(mock, '/api/dns/v0.1/example.com/delete_domain/', {}, LIMITED);
    expect(del.status).toBe(403);
    expect(del.json).toEqual({ error: NO_RIGHT });
    expect(ids(await get(mock, '/api/dns/v0.1/domain_list.json'), 'name')).toEqual(['example.com', 'test.com']);
  });

  it('LIMITED_API_KEY may use the unprotected DNS methods', async () => {
    const mock = await startMock();
    const add = await post(
      mock,
      '/api/dns/v0.1/example.com/entry_set/add/',
      { host: 'lim', type: 'A', value: '10.0.0.2' },
      LIMITED,
    );
    expect(add.status).toBe(200);
    expect(add.json).toMatchObject({ ok: true, pk: expect.any(Number) });
    const pk = (add.json as { pk: number }).pk;
    expect((await post(mock, `/api/dns/v0.1/example.com/entry_set/${pk}/delete/`, {}, LIMITED)).json).toEqual({
      ok: true,
    });
  });

  it('PERSONAL_API_KEY may use the protected DNS methods', async () => {
    const mock = await startMock();
    const add = await post(mock, '/api/dns/v0.1/add_domain/', { name: 'fresh.example', ip: '10.0.0.1' });
    expect(add.json).toEqual({ ok: true, name: 'fresh.example' });
    expect((await post(mock, '/api/dns/v0.1/fresh.example/delete_domain/')).json).toEqual({ ok: true });
  });
});

describe('OTHER_API_KEY: a second tenant', () => {
  it('has its own orders, keys and domains', async () => {
    const mock = await startMock();
    const orders = await get(mock, '/api/orders/list', OTHER);
    expect(ids(orders)).toEqual(['34-500001']);
    expect(ids(await get(mock, '/api/ssh_keys/', OTHER))).toEqual([500]);
    expect(ids(await get(mock, '/api/dns/v0.1/domain_list.json', OTHER), 'name')).toEqual(['other-tenant.net']);
    // ...and none of them is the first tenant's.
    expect(ids(await get(mock, '/api/orders/list'))).not.toContain('34-500001');
    expect(ids(await get(mock, '/api/ssh_keys/'))).not.toContain(500);
  });

  it("gets exactly the same answer for the first tenant's objects as for missing ones", async () => {
    const mock = await startMock();
    const pairs: Array<[string, string]> = [
      ['/api/vps/status/34-177054/', '/api/vps/status/34-999999/'],
      ['/api/ssh_keys/34-177054/', '/api/ssh_keys/34-999999/'],
      ['/api/vps/passwd_reset/34-177054/', '/api/vps/passwd_reset/34-999999/'],
      ['/api/dns/v0.1/example.com/entry_set.json', '/api/dns/v0.1/missing-domain.com/entry_set.json'],
      ['/api/dns/v0.1/example.com/zone_file/', '/api/dns/v0.1/missing-domain.com/zone_file/'],
      ['/api/ds/34-5678/traffic.json', '/api/ds/34-999999/traffic.json'],
      ['/api/vps/log_details/34-500001/?log_id=222287', '/api/vps/log_details/34-500001/?log_id=999999'],
    ];
    for (const [theirs, missing] of pairs) {
      const a = await get(mock, theirs, OTHER);
      const b = await get(mock, missing, OTHER);
      expect(errorOf(a), theirs).toEqual(expect.any(String));
      expect([a.status, a.headers.get('content-type'), a.text], theirs).toEqual([
        b.status,
        b.headers.get('content-type'),
        b.text,
      ]);
    }
    // POSTs too, and the first tenant's VPS did not move.
    const restart = await post(mock, '/api/vps/restart/34-177054/', {}, OTHER);
    expect(restart.text).toBe((await post(mock, '/api/vps/restart/34-999999/', {}, OTHER)).text);
    const keyOnOrder = await post(mock, '/api/ssh_keys/34-500001/add/', { key_pk: '67' }, OTHER);
    expect(keyOnOrder.text).toBe((await post(mock, '/api/ssh_keys/34-500001/add/', { key_pk: '9999' }, OTHER)).text);
    expect((await get(mock, '/api/vps/status/34-177054/')).json).toEqual({ status: 'off' });
  });

  it("cannot see the first tenant's data, nor the first tenant its data", async () => {
    const mock = await startMock();
    const theirs = await get(mock, '/api/vps/status/34-500001/', PERSONAL);
    const missing = await get(mock, '/api/vps/status/34-999999/', PERSONAL);
    expect(theirs.text).toBe(missing.text);
    expect(theirs.json).toEqual({ error: 'Order not found.' });
  });
});

describe('missing or wrong keys', () => {
  it('answer 403 on GET (query) and POST (form body)', async () => {
    const mock = await startMock();
    for (const key of [null, '', 'WRONG_KEY', 'personal_api_key']) {
      const got = await get(mock, '/api/account/balance', key);
      expect(got.status, `GET with ${key}`).toBe(403);
      expect(got.json).toEqual({ error: NO_KEY });
      const posted = await post(mock, '/api/vps/restart/34-177054/', {}, key);
      expect(posted.status, `POST with ${key}`).toBe(403);
      expect(posted.json).toEqual({ error: NO_KEY });
    }
    // A refused power action changed nothing.
    expect((await get(mock, '/api/vps/status/34-177054/')).json).toEqual({ status: 'off' });
  });

  it('refuse a POST with the key only in the query string, explaining why', async () => {
    const mock = await startMock();
    // Plain, percent-encoded (decoded as any query is) and in another case: all the key, sent wrongly.
    for (const query of [`apikey=${PERSONAL}`, `a=1&api%6Bey=${PERSONAL}`, `APIKEY=${PERSONAL}`]) {
      const reply = await read(
        await fetch(`${mock.url}/api/vps/restart/34-177054/?${query}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: '',
        }),
      );
      expect(reply.status, query).toBe(403);
      expect(errorOf(reply), query).toMatch(/form-encoded/);
    }
    expect((await get(mock, '/api/vps/status/34-177054/')).json).toEqual({ status: 'off' });
  });

  it('refuse a POST with a JSON body, explaining why', async () => {
    const mock = await startMock();
    const reply = await read(
      await fetch(`${mock.url}/api/vps/restart/34-177054/`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ apikey: PERSONAL }),
      }),
    );
    expect(reply.status).toBe(403);
    expect(errorOf(reply)).toMatch(/form-encoded/);
    expect((await get(mock, '/api/vps/status/34-177054/')).json).toEqual({ status: 'off' });
  });
});
