import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createFornexClient } from './create-fornex-client.js';

describe('createFornexClient', () => {
  it('refuses a missing key and impossible time limits, without quoting the options', () => {
    expect(() => createFornexClient({ apiKey: '' })).toThrow(TypeError);
    expect(() => createFornexClient({ apiKey: 'k3y-secret', timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => createFornexClient({ apiKey: 'k3y-secret', timeoutMs: 2 ** 31 })).toThrow(RangeError);
    expect(() => createFornexClient({ apiKey: 'k3y-secret', retry: { retries: -1 } })).toThrow(RangeError);
  });

  it('keeps the key out of the client object itself', () => {
    const client = createFornexClient({ apiKey: 'k3y-secret' });
    expect(inspect(client, { depth: null, showHidden: true })).not.toContain('k3y-secret');
    expect(JSON.stringify(client)).not.toContain('k3y-secret');
  });

  it('rejects a per-call timeout that setTimeout cannot hold before sending anything', async () => {
    const sent: unknown[] = [];
    const fetch: typeof globalThis.fetch = async (input) => {
      sent.push(input);
      throw new Error('the client sent a request');
    };
    const client = createFornexClient({ apiKey: 'k', fetch, retry: false });
    await expect(client.account.balance({ timeoutMs: -5 })).rejects.toThrow(RangeError);
    await expect(client.vps.status('34-1', { timeoutMs: 2 ** 31 })).rejects.toThrow(RangeError);
    expect(sent).toEqual([]);
  });
});
