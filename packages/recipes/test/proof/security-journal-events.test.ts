import { randomBytes } from 'node:crypto';
import { type EngineEventName, type Recipe, runEventNames } from '@fornex-flow/core';
import { LIMITED_API_KEY, OTHER_API_KEY, PERSONAL_API_KEY, startMockServer } from '@fornex-flow/mock-server';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { recipes } from '../../src/recipes/index.js';
import { addFault, startKit } from '../recipes/helpers.js';
import { crashCases } from './crash-cases.js';
import { securityRecipesPath, spellings } from './security-kit.js';

const keys = [PERSONAL_API_KEY, LIMITED_API_KEY, OTHER_API_KEY];

/** Every spelling of every key (raw, base64, hex, URL-encoded, JSON-escaped) found in `text`. */
function keysIn(text: string): string[] {
  return keys.flatMap(spellings).filter((spelling) => text.includes(spelling));
}

describe("the mock's journal", () => {
  it('never holds an API key in clear, wherever a request carries it', async () => {
    const mock = await startMockServer({ port: 0 });
    onTestFinished(() => mock.close());
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    for (const key of keys) {
      const encoded = [...key].map((c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`).join('');
      const requests: [string, RequestInit?][] = [
        [`/api/account/balance?apikey=${key}`],
        [`/api/account/balance?api%6Bey=${encoded}`],
        [`/api/account/balance?token=${key}&apikey=${key}`],
        [`/api/vps/restart/34-177054/`, { method: 'POST', headers: form, body: `apikey=${key}` }],
        [`/api/vps/restart/34-177054/`, { method: 'POST', headers: form, body: `note=${encoded}&apikey=x` }],
        [`/api/vps/restart/34-177054/`, { method: 'POST', body: JSON.stringify({ apikey: key }) }],
        // The key in the path: as an order id, as a path of its own, percent-encoded.
        [`/api/vps/status/${key}/?apikey=${key}`],
        [`/api/${key}/`],
        [`/api/vps/status/${encoded}/`],
        [`/api/account/balance`, { headers: { authorization: `Bearer ${key}`, 'x-api-key': key } }],
      ];
      for (const [path, init] of requests) await (await fetch(`${mock.url}${path}`, init)).text();
    }
    const journal = await (await fetch(`${mock.url}/__mock/requests?limit=1000`)).text();
    const parsed = JSON.parse(journal) as { requests: { path: string }[] };
    expect(parsed.requests).toHaveLength(keys.length * 10);
    expect(journal).toContain('[REDACTED]');
    expect(keysIn(journal)).toEqual([]);
  });
});

describe('engine events', { timeout: 120_000 }, () => {
  it('never carry the API key; a secret shows only in the output delivered to the caller', async () => {
    const { recipes: careless } = (await import(securityRecipesPath)) as { recipes: Recipe[] };
    const kit = await startKit([...recipes, ...careless], 'en', {
      engine: { secretKey: randomBytes(32) },
      mock: { scale: 2 },
    });
    // The careless recipe quotes the key from the environment in its error.
    vi.stubEnv('FORNEX_API_KEY', PERSONAL_API_KEY);
    vi.stubEnv('FORNEX_BASE_URL', kit.mock.url);
    onTestFinished(() => {
      vi.unstubAllEnvs();
    });
    const events: { name: EngineEventName; payload: Record<string, unknown> }[] = [];
    for (const name of [...runEventNames, 'store:write-failed'] as const)
      kit.engine.on(name, (payload) => events.push({ name, payload: payload as Record<string, unknown> }));

    // The API echoes the key in errors: transient ones (retried) and a permanent one.
    const echo = { error: `denied for apikey=${PERSONAL_API_KEY} (${encodeURIComponent(PERSONAL_API_KEY)})` };
    await addFault(kit, { path: '/api/vps/status/*', status: 503, body: echo, times: 2 });
    const secrets = ['Vault-Event-1212', 'fail-Vault-Event-3434'];
    const ends = [];
    for (const c of crashCases) ends.push(await kit.finish(await kit.engine.start(c.id as never, c.input as never)));
    for (const password of secrets)
      ends.push(
        await kit.finish(await kit.engine.start('test-vault-login' as never, { user: 'ann', password } as never)),
      );
    await addFault(kit, { path: '/api/vps/log_details/*', status: 403, body: echo });
    const failing = await kit.engine.start('reset-root-password' as never, { orderId: '34-177054' } as never);
    ends.push(await kit.finish(failing));
    expect(ends.map((end) => end.status)).toEqual([
      'completed',
      'completed',
      'completed',
      'completed',
      'completed',
      'failed',
      'failed',
    ]);
    // The reset passwords, as delivered to the caller (the two reset steps' outputs).
    const delivered = events
      .filter((e) => e.name === 'step:succeeded' && e.payload.step === 'resetPassword')
      .map((e) => (e.payload.output as { password: string }).password);
    expect(delivered).toHaveLength(2);
    const all = [...secrets, ...delivered];

    // The secrets were there, and were redacted: the careless step quoted the password and the key.
    const failed = JSON.stringify(events.filter((e) => e.name === 'step:failed'));
    expect(failed).toContain('vault refused ann with password [REDACTED]');
    expect(failed).toContain('apikey=[REDACTED]');
    expect(keysIn(JSON.stringify(events))).toEqual([]);
    // Outside the delivered outputs, no event carries a secret: not errors, states or timers.
    const rest = JSON.stringify(events.map(({ name, payload }) => ({ name, payload: { ...payload, output: null } })));
    expect(all.flatMap(spellings).filter((spelling) => rest.includes(spelling))).toEqual([]);
    // What result() rejects with and what the store answers hold neither.
    const failure = await failing
      .result()
      .catch((error: unknown) => JSON.stringify(error, Object.getOwnPropertyNames(error)));
    const stored = JSON.stringify(await Promise.all(events.map((e) => kit.engine.get(String(e.payload.runId)))));
    for (const text of [String(failure), stored]) {
      expect(keysIn(text)).toEqual([]);
      expect(all.flatMap(spellings).filter((spelling) => text.includes(spelling))).toEqual([]);
    }
  });
});
