import { describe, expect, it, onTestFinished } from 'vitest';
import { startMockServer } from '../src/index.js';
import { addFaults, admin, errorOf, get, post, read, startMock } from './helpers.js';

const BALANCE = '{"balance": 91.0, "currency": "EUR"}';

describe('fault rules: matching and lifetime', () => {
  it('answers the rule status and body, for the matching method and path only', async () => {
    const mock = await startMock();
    await addFaults(mock, { method: 'post', path: '/api/vps/restart/34-177054/', status: 418, body: { error: 'tea' } });

    const hit = await post(mock, '/api/vps/restart/34-177054/');
    expect(hit.status).toBe(418);
    expect(hit.text).toBe('{"error": "tea"}');
    expect(hit.headers.get('content-type')).toMatch(/application\/json/);
    // Same path, other method: untouched (answers 405 as usual). Other path: untouched.
    expect((await get(mock, '/api/vps/restart/34-177054/')).status).toBe(405);
    expect((await post(mock, '/api/vps/start/34-177054/')).text).toBe('{"ok": "True"}');
  });

  it('sends a string body as is', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/balance', status: 429, body: 'slow down' });
    const reply = await get(mock, '/api/account/balance');
    expect(reply.status).toBe(429);
    expect(reply.text).toBe('slow down');
  });

  it('adds the rule headers to its answer: a 503 with Retry-After, as a client must honour', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/balance', status: 503, headers: { 'Retry-After': '2' } });
    const reply = await get(mock, '/api/account/balance');
    expect(reply.status).toBe(503);
    expect(reply.headers.get('retry-after')).toBe('2');
    expect(reply.text).toBe('<h1>Server Error (503)</h1>');
    const bad = await admin(mock, 'POST', '/faults', { status: 503, headers: { 'bad header': 'x' } });
    expect(bad.status).toBe(400);
    expect(String(errorOf(bad))).toMatch(/invalid fault rule: headers/);
  });

  it('gives a 5xx without a body an HTML error page, like a proxy in front of the service', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/balance', status: 502 });
    const reply = await get(mock, '/api/account/balance');
    expect(reply.status).toBe(502);
    expect(reply.text).toContain('502');
    expect(reply.json).toBeUndefined();
  });

  it('matches a path prefix ending in *', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/*', status: 503 });
    expect((await get(mock, '/api/account/balance')).status).toBe(503);
    expect((await get(mock, '/api/account/info')).status).toBe(503);
    expect((await get(mock, '/api/orders/list')).status).toBe(200);
  });

  it('consumes times, then the endpoint answers normally again', async () => {
    const mock = await startMock();
    const [id] = await addFaults(mock, { path: '/api/account/balance', status: 500, times: 2 });
    expect((await get(mock, '/api/account/balance')).status).toBe(500);
    const listed = (await admin(mock, 'GET', '/faults')).json as { faults: Array<{ id: number; remaining: number }> };
    expect(listed.faults).toEqual([expect.objectContaining({ id, remaining: 1 })]);
    expect((await get(mock, '/api/account/balance')).status).toBe(500);
    const third = await get(mock, '/api/account/balance');
    expect(third.status).toBe(200);
    expect(third.text).toBe(BALANCE);
    expect((await admin(mock, 'GET', '/faults')).json).toEqual({ faults: [] });
  });

  it('applies rules in order: the first matching rule wins', async () => {
    const mock = await startMock();
    await addFaults(mock, [
      { path: '/api/account/balance', status: 503, times: 1 },
      { path: '/api/account/*', status: 418 },
    ]);
    expect((await get(mock, '/api/account/balance')).status).toBe(503);
    expect((await get(mock, '/api/account/balance')).status).toBe(418);
    expect((await get(mock, '/api/account/info')).status).toBe(418);
  });

  it('never fires with probability 0, always with probability 1', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/balance', status: 500, probability: 0 });
    for (let i = 0; i < 20; i++) expect((await get(mock, '/api/account/balance')).status).toBe(200);
    await addFaults(mock, { path: '/api/account/info', status: 500, probability: 1 });
    for (let i = 0; i < 5; i++) expect((await get(mock, '/api/account/info')).status).toBe(500);
  });

  it('lists, deletes one rule by id, and deletes them all', async () => {
    const mock = await startMock();
    const [first, second] = await addFaults(mock, [
      { path: '/api/account/balance', status: 500 },
      { path: '/api/account/info', status: 500 },
    ]);
    expect((await admin(mock, 'DELETE', `/faults/${first}`)).json).toEqual({ ok: true });
    const listed = (await admin(mock, 'GET', '/faults')).json as { faults: Array<{ id: number }> };
    expect(listed.faults.map((f) => f.id)).toEqual([second]);
    expect((await get(mock, '/api/account/balance')).status).toBe(200);
    expect((await get(mock, '/api/account/info')).status).toBe(500);

    const missing = await admin(mock, 'DELETE', `/faults/${first}`);
    expect(missing.status).toBe(404);
    expect(errorOf(missing)).toMatch(String(first));
    expect((await admin(mock, 'DELETE', '/faults/abc')).status).toBe(400);

    expect((await admin(mock, 'DELETE', '/faults')).json).toEqual({ ok: true });
    expect((await get(mock, '/api/account/info')).status).toBe(200);
  });

  it('marks faulted requests in the journal', async () => {
    const mock = await startMock();
    const [id] = await addFaults(mock, { path: '/api/account/balance', status: 500, times: 1 });
    await get(mock, '/api/account/balance');
    await get(mock, '/api/account/balance');
    const { requests } = (await admin(mock, 'GET', '/requests')).json as {
      requests: Array<{ status: number; faultId: number | null; endpointId: string }>;
    };
    expect(requests.map((r) => [r.status, r.faultId, r.endpointId])).toEqual([
      [500, id, 'account.balance'],
      [200, null, 'account.balance'],
    ]);
  });
});

describe('fault rules: transport failures', () => {
  it('delays by delayMs, then answers normally', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/balance', delayMs: 250 });
    const started = performance.now();
    const reply = await get(mock, '/api/account/balance');
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(reply.status).toBe(200);
    expect(reply.text).toBe(BALANCE);
  });

  it('a POST delayed by delayMs is still served when its client gave up during the delay: the effect lands late, and is journaled', async () => {
    const mock = await startMock();
    await addFaults(mock, { method: 'POST', path: '/api/vps/restart/34-177054/', delayMs: 300, times: 1 });
    const gaveUp = fetch(`${mock.url}/api/vps/restart/34-177054/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'apikey=PERSONAL_API_KEY',
      signal: AbortSignal.timeout(100),
    });
    await expect(gaveUp).rejects.toMatchObject({ name: 'TimeoutError' });
    // What a server that has the whole request does: it acts on it, whoever listens.
    let served: { status: number | null; endpointId: string | null }[] = [];
    for (let i = 0; i < 100 && served.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const journal = (await (await fetch(`${mock.url}/__mock/requests`)).json()) as { requests: typeof served };
      served = journal.requests;
    }
    expect(served).toMatchObject([{ status: 200, endpointId: 'vps.restart' }]);
    const status = await get(mock, '/api/vps/status/34-177054/');
    expect(status.text).toContain('restarting');
  });

  it('the latencyMs option delays every API request', async () => {
    const mock = await startMockServer({ port: 0, latencyMs: 150 });
    onTestFinished(() => mock.close());
    for (let i = 0; i < 2; i++) {
      const started = performance.now();
      expect((await get(mock, '/api/account/balance')).text).toBe(BALANCE);
      expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    }
  });

  it('hangs: the client times out, and the mock stays healthy', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/balance', hang: true, times: 1 });
    const hung = fetch(`${mock.url}/api/account/balance?apikey=PERSONAL_API_KEY`, {
      signal: AbortSignal.timeout(300),
    });
    await expect(hung).rejects.toMatchObject({ name: 'TimeoutError' });
    const after = await get(mock, '/api/account/balance');
    expect(after.text).toBe(BALANCE);
  });

  it('close() releases a request that still hangs', async () => {
    const mock = await startMockServer({ port: 0 });
    const [faultId] = await addFaults(mock, { path: '/api/account/balance', hang: true });
    const hung = fetch(`${mock.url}/api/account/balance?apikey=PERSONAL_API_KEY`).then(read);
    const balanceEntries = () => mock.runtime.journal.list().filter((e) => e.path === '/api/account/balance');
    // Give the request time to arrive and start hanging: it is held, so not yet in the journal.
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(balanceEntries()).toEqual([]);
    await mock.close();
    // Released: its handler finished and wrote the request down as the hang fault's 504.
    expect(balanceEntries()).toMatchObject([{ status: 504, faultId, endpointId: 'account.balance' }]);
    // The client sees the connection end (an error or an empty reply), never a normal answer.
    const outcome = await hung.then(
      (reply) => reply.text,
      (error: Error) => error.name,
    );
    expect(outcome).not.toBe(BALANCE);
  });

  it('drops the connection: fetch rejects with a network error', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/balance', drop: true, times: 1 });
    await expect(fetch(`${mock.url}/api/account/balance?apikey=PERSONAL_API_KEY`)).rejects.toThrow(TypeError);
    expect((await get(mock, '/api/account/balance')).text).toBe(BALANCE);
  });

  it('journals a dropped request as dropped, with no status (none was sent)', async () => {
    const mock = await startMock();
    const [id] = await addFaults(mock, { path: '/api/account/balance', drop: true, times: 1 });
    await expect(fetch(`${mock.url}/api/account/balance?apikey=PERSONAL_API_KEY`)).rejects.toThrow(TypeError);
    const { requests } = (await admin(mock, 'GET', '/requests')).json as {
      requests: Array<{ status: number | null; dropped: boolean; faultId: number | null }>;
    };
    expect(requests).toEqual([expect.objectContaining({ status: null, dropped: true, faultId: id })]);
    await get(mock, '/api/account/balance');
    const after = (await admin(mock, 'GET', '/requests')).json as { requests: Array<{ dropped: boolean }> };
    expect(after.requests[1]).toMatchObject({ status: 200, dropped: false });
  });

  it('sends a malformed body: not valid JSON, although it says it is', async () => {
    const mock = await startMock();
    await addFaults(mock, { path: '/api/account/balance', malformed: true, times: 1 });
    const response = await fetch(`${mock.url}/api/account/balance?apikey=PERSONAL_API_KEY`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const text = await response.text();
    expect(() => JSON.parse(text)).toThrow(SyntaxError);
  });
});

describe('fault rules: validation', () => {
  it('refuses an unknown field or a wrong type with 400 naming the problem', async () => {
    const mock = await startMock();
    const cases: Array<[unknown, RegExp]> = [
      [{ path: '/x', stauts: 500 }, /stauts/],
      [{ status: '500' }, /status/],
      [{ status: 99 }, /status/],
      [{ times: 0 }, /times/],
      [{ probability: 2 }, /probability/],
      [{ hang: 'yes' }, /hang/],
      [{ delayMs: -1 }, /delayMs/],
      [[{ status: 500 }, { drop: 1 }], /1\.drop/],
      ['not json', /JSON/],
      [42, /fault rule/],
    ];
    for (const [body, error] of cases) {
      const reply = await admin(mock, 'POST', '/faults', body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(errorOf(reply), JSON.stringify(body)).toMatch(error);
    }
    // Nothing half-added: a refused list adds none of its rules.
    expect((await admin(mock, 'GET', '/faults')).json).toEqual({ faults: [] });
  });
});
