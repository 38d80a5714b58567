import { describe, expect, it } from 'vitest';
import { DIALECT_HEADER } from '../src/index.js';
import { get, post, startMock } from './helpers.js';

const FRESH_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDialectKey dialect@test';

describe('en and ru dialects', () => {
  it('passwd_reset: en {resp_id, passwd}, ru {passwd, ok}', async () => {
    const en = await startMock();
    const ru = await startMock({ dialect: 'ru' });
    const enReply = (await get(en, '/api/vps/passwd_reset/34-177054/')).json as Record<string, unknown>;
    const ruReply = (await get(ru, '/api/vps/passwd_reset/34-177054/')).json as Record<string, unknown>;
    expect(Object.keys(enReply)).toEqual(['resp_id', 'passwd']);
    expect(Object.keys(ruReply)).toEqual(['passwd', 'ok']);
    expect(ruReply.ok).toBe(true);
  });

  it('ssh key add: en answers the key, ru a one-element list', async () => {
    const en = await startMock();
    const ru = await startMock({ dialect: 'ru' });
    const enReply = (await post(en, '/api/ssh_keys/add/', { title: 't', key: FRESH_KEY })).json;
    const ruReply = (await post(ru, '/api/ssh_keys/add/', { title: 't', key: FRESH_KEY })).json as unknown[];
    expect(enReply).toMatchObject({ id: expect.any(Number), key: FRESH_KEY, title: 't' });
    expect(Array.isArray(ruReply)).toBe(true);
    expect(ruReply).toHaveLength(1);
    expect(ruReply[0]).toMatchObject({ key: FRESH_KEY, title: 't' });
  });

  it('localizes dates', async () => {
    const en = await startMock();
    const ru = await startMock({ dialect: 'ru' });
    const date = async (mock: { url: string }) =>
      ((await get(mock, '/api/ssh_keys/')).json as Array<{ id: number; date: string }>).find((k) => k.id === 67)?.date;
    expect(await date(en)).toBe('December 19, 2017');
    expect(await date(ru)).toBe('19 декабря 2017 г.');
  });

  it('ru writes three hosting plan counts as strings', async () => {
    const en = await startMock();
    const ru = await startMock({ dialect: 'ru' });
    const enPlan = ((await get(en, '/api/plans/hosting')).json as Array<Record<string, unknown>>)[0]!;
    const ruPlan = ((await get(ru, '/api/plans/hosting')).json as Array<Record<string, unknown>>)[0]!;
    for (const field of ['databases', 'mail_domains', 'mailboxes']) {
      expect(typeof enPlan[field], field).toBe('number');
      expect(ruPlan[field], field).toBe(String(enPlan[field]));
    }
    expect(typeof ruPlan.sites).toBe('number');
  });

  it('ru orders have no tariff_id or tariff_price', async () => {
    const en = await startMock();
    const ru = await startMock({ dialect: 'ru' });
    const enOrders = (await get(en, '/api/orders/list')).json as Array<Record<string, unknown>>;
    const ruOrders = (await get(ru, '/api/orders/list')).json as Array<Record<string, unknown>>;
    expect(enOrders.every((o) => 'tariff_id' in o && 'tariff_price' in o)).toBe(true);
    expect(ruOrders.some((o) => 'tariff_id' in o || 'tariff_price' in o)).toBe(false);
    expect(ruOrders.map((o) => o.id)).toEqual(enOrders.map((o) => o.id));
  });

  it('localizes error texts', async () => {
    const ru = await startMock({ dialect: 'ru' });
    expect((await get(ru, '/api/vps/status/34-999999/')).json).toEqual({ error: 'Заказ не найден.' });
    expect((await get(ru, '/api/account/balance', 'WRONG')).json).toEqual({
      error: 'Нет доступа: не указан или неверен API_KEY.',
    });
  });
});

describe(`per-request dialect header (${DIALECT_HEADER})`, () => {
  it('switches one request, both ways, and leaves the others alone', async () => {
    const en = await startMock();
    const ru = await startMock({ dialect: 'ru' });
    const asRu = await get(en, '/api/ssh_keys/', undefined, { [DIALECT_HEADER]: 'ru' });
    expect(asRu.text).toBe((await get(ru, '/api/ssh_keys/')).text);
    const asEn = await get(ru, '/api/ssh_keys/', undefined, { [DIALECT_HEADER]: 'en' });
    expect(asEn.text).toBe((await get(en, '/api/ssh_keys/')).text);
    // The next request without the header is in the server's dialect again.
    expect((await get(en, '/api/ssh_keys/')).text).toContain('December 19, 2017');
    // An unknown value is ignored rather than refused.
    expect((await get(en, '/api/ssh_keys/', undefined, { [DIALECT_HEADER]: 'de' })).text).toContain(
      'December 19, 2017',
    );
  });

  it('applies to POST shapes too', async () => {
    const en = await startMock();
    const reply = await post(en, '/api/ssh_keys/add/', { title: 't', key: FRESH_KEY }, undefined, {
      [DIALECT_HEADER]: 'ru',
    });
    expect(Array.isArray(reply.json)).toBe(true);
  });
});

describe('error status', () => {
  it('answers {"error": ...} with HTTP 200 by default, as documented', async () => {
    const mock = await startMock();
    const reply = await get(mock, '/api/vps/status/34-999999/');
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({ error: 'Order not found.' });
  });

  it('answers 400 with errorStatus: 400; auth and routing keep their own codes', async () => {
    const mock = await startMock({ errorStatus: 400 });
    const missing = await get(mock, '/api/vps/status/34-999999/');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: 'Order not found.' });
    const invalid = await post(mock, '/api/dns/v0.1/example.com/entry_set/add/', { host: 'x', type: 'A' });
    expect(invalid.status).toBe(400);
    expect((await get(mock, '/api/vps/status/34-177054/')).status).toBe(200);
    expect((await get(mock, '/api/account/balance', 'WRONG')).status).toBe(403);
    expect((await get(mock, '/api/nothing/here')).status).toBe(404);
  });
});
