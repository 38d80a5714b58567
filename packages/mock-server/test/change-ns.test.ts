import { describe, expect, it } from 'vitest';
import { post, startMock, state } from './helpers.js';

async function nss(mock: { url: string }): Promise<string[] | null | undefined> {
  return (await state(mock)).json.tenants[0]!.orders.find((o) => o.id === '375-13')?.nss;
}

describe('change_ns', () => {
  // The en document has it under /api, the ru one without: both must work, on any server.
  for (const path of ['/api/change_ns/375-13/', '/change_ns/375-13/']) {
    it(`answers [{"ok": true}] at ${path} and stores the name servers`, async () => {
      const mock = await startMock();
      const reply = await post(mock, path, { nss: 'NS1.Example.org.,ns2.example.org' });
      expect(reply.status).toBe(200);
      expect(reply.text).toBe('[{"ok": true}]');
      expect(await nss(mock)).toEqual(['ns1.example.org', 'ns2.example.org']);
    });
  }

  it('refuses orders that are not domains, and bad name servers', async () => {
    const mock = await startMock();
    const before = await nss(mock);
    expect((await post(mock, '/api/change_ns/34-177054/', { nss: 'ns1.example.org' })).json).toEqual({
      error: 'This action is not available for order 34-177054.',
    });
    const bad = await post(mock, '/api/change_ns/375-13/', { nss: 'not a host' });
    expect(bad.json).toMatchObject({ error: expect.stringMatching(/nss/) });
    expect(await nss(mock)).toEqual(before);
  });
});
