// Admin input that used to be accepted and break later (when a fault fired, on the next GET, on
// re-import): each is now refused up front, with a clear 4xx, and nothing is applied.
import { describe, expect, it } from 'vitest';
import { admin, errorOf, get, post, type Reply, rawRequest, startMock, state } from './helpers.js';

const MIB = 1024 * 1024;

function expectRefused(reply: Reply, status: number, pattern: RegExp): void {
  expect(reply.status, reply.text).toBe(status);
  expect(errorOf(reply)).toMatch(pattern);
  expect(reply.text).not.toMatch(/\n\s+at /);
}

/** JSON nested `depth` arrays deep around `inner`. */
function nested(depth: number, inner = '1'): string {
  return `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;
}

async function faultCount(mock: { url: string }): Promise<number> {
  return ((await admin(mock, 'GET', '/faults')).json as { faults: unknown[] }).faults.length;
}

describe('fault rules are checked before they are stored', () => {
  it('refuses header values with CR/LF or characters outside Latin-1', async () => {
    const mock = await startMock();
    for (const value of ['a\r\nset-cookie: x=1', 'a\nb', 'a\rb', 'nul\u0000', 'euro €', 'кириллица']) {
      const reply = await admin(mock, 'POST', '/faults', { status: 503, headers: { 'retry-after': value } });
      expectRefused(reply, 400, /headers/);
    }
    expect(await faultCount(mock)).toBe(0);
    // A Latin-1 value (é) is a valid header value and works when the fault fires.
    await admin(mock, 'POST', '/faults', { status: 503, headers: { 'x-note': 'café' }, times: 1 });
    const fired = await rawRequest(mock, 'GET', '/api/account/balance?apikey=PERSONAL_API_KEY');
    expect(fired.status).toBe(503);
  });

  it('refuses a status that is not a final HTTP status (1xx), and one outside 200-599', async () => {
    const mock = await startMock();
    for (const status of [100, 101, 103, 199, 600, 999]) {
      expectRefused(await admin(mock, 'POST', '/faults', { status }), 400, /status/);
    }
    expect(await faultCount(mock)).toBe(0);
  });

  it('a no-body status (204, 205, 304) answers without a body; a body with it is refused', async () => {
    const mock = await startMock();
    for (const status of [204, 205, 304]) {
      expectRefused(await admin(mock, 'POST', '/faults', { status, body: { a: 1 } }), 400, /body/);
      await admin(mock, 'POST', '/faults', { status, times: 1 });
      const fired = await rawRequest(mock, 'GET', '/api/account/balance?apikey=PERSONAL_API_KEY');
      expect(fired.status).toBe(status);
      expect(fired.text).toBe('');
    }
  });

  it('refuses a fault body nested 10,000 deep, and the server keeps working', async () => {
    const mock = await startMock();
    const reply = await admin(mock, 'POST', '/faults', `{"status": 500, "body": ${nested(10_000)}}`);
    expectRefused(reply, 400, /nested/);
    expect(await faultCount(mock)).toBe(0);
    expect((await get(mock, '/api/account/balance')).status).toBe(200);
  });
});

describe('world state is checked before it replaces the running one', () => {
  it('refuses a world nested 5,000 deep; GET /__mock/state keeps working', async () => {
    const mock = await startMock();
    const before = await state(mock);
    const world = before.text.replace('"backups":[', `"backups":[{"deep": ${nested(5000)}},`);
    expect(world).not.toBe(before.text);
    expectRefused(await admin(mock, 'PUT', '/state', world), 400, /nested/);
    expect((await state(mock)).text).toBe(before.text);
  });

  it('refuses a PUT larger than the state cap with 413', async () => {
    const mock = await startMock();
    const before = await state(mock);
    const padding = 'x'.repeat(9 * MIB);
    const world = before.text.replace('"backups":[', `"backups":[{"pad": "${padding}"},`);
    expect(world).not.toBe(before.text);
    expectRefused(await admin(mock, 'PUT', '/state', world), 413, /larger than/);
    expect((await state(mock)).text).toBe(before.text);
  });

  it('ids stop at 2^53 - 1: the sequence is never pushed to an unsafe integer, and the state stays loadable', async () => {
    const mock = await startMock();
    const world = (await state(mock)).json;
    world.sequences.record = Number.MAX_SAFE_INTEGER;
    world.sequences.sshKey = Number.MAX_SAFE_INTEGER;
    expect((await admin(mock, 'PUT', '/state', JSON.stringify(world))).status).toBe(200);
    const add = await post(mock, '/api/dns/v0.1/example.com/entry_set/add/', {
      host: 'n',
      type: 'A',
      value: '192.0.2.1',
    });
    expect(add.status).toBe(200);
    expect(errorOf(add)).toMatch(/ids/);
    const after = await state(mock);
    expect(Number.isSafeInteger(after.json.sequences.record)).toBe(true);
    expect((await admin(mock, 'PUT', '/state', after.text)).status).toBe(200);
  });
});

describe('the mock clock stays within the dates it can write', () => {
  it('refuses an advance past the date range, without applying it', async () => {
    const mock = await startMock();
    const tenYearsMs = 10 * 365 * 86_400_000;
    let refused: Reply | undefined;
    for (let i = 0; i < 1000 && !refused; i++) {
      const reply = await admin(mock, 'POST', '/clock/advance', { ms: tenYearsMs });
      if (reply.status !== 200) refused = reply;
    }
    expect(refused).toBeDefined();
    expectRefused(refused!, 400, /mock time/);
    const clock = (await admin(mock, 'GET', '/clock')).json as { nowMs: number; now: string };
    expect(clock.now).toMatch(/^\d{4}-/);
    // Every date the API writes is still a valid one.
    expect((await get(mock, '/api/tickets/webhook_info/')).status).toBe(200);
    expect((await admin(mock, 'POST', '/clock/advance', { ms: tenYearsMs })).status).toBe(400);
    expect(((await admin(mock, 'GET', '/clock')).json as { nowMs: number }).nowMs).toBeLessThan(clock.nowMs + 1000);
    // About 800 advances of 10 years: more than the default 5 s on a loaded machine.
  }, 60_000);
});
