import { describe, expect, it } from 'vitest';
import { get, post, startMock } from './helpers.js';

const KEY_A = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIKeyAlpha alpha@test';
const KEY_B = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABKeyBravo bravo@test';

async function keyIds(mock: { url: string }, path = '/api/ssh_keys/'): Promise<number[]> {
  return ((await get(mock, path)).json as Array<{ id: number }>).map((k) => k.id);
}

describe('SSH keys', () => {
  it('add hands out fresh ids from a sequence and lists the key', async () => {
    const mock = await startMock();
    const before = await keyIds(mock);
    const a = await post(mock, '/api/ssh_keys/add/', { title: 'alpha', key: KEY_A });
    expect(a.status).toBe(200);
    expect(a.json).toEqual({ date: expect.any(String), id: expect.any(Number), key: KEY_A, title: 'alpha' });
    const b = await post(mock, '/api/ssh_keys/add/', { title: 'bravo', key: KEY_B });
    const idA = (a.json as { id: number }).id;
    const idB = (b.json as { id: number }).id;
    expect(before).not.toContain(idA);
    expect(idB).toBe(idA + 1);
    expect(await keyIds(mock)).toEqual([...before, idA, idB]);
  });

  it('refuses a duplicate key, even under another title or comment', async () => {
    const mock = await startMock();
    await post(mock, '/api/ssh_keys/add/', { title: 'alpha', key: KEY_A });
    const count = (await keyIds(mock)).length;
    const again = await post(mock, '/api/ssh_keys/add/', { title: 'other', key: KEY_A.replace('alpha@test', 'x@y') });
    expect(again.json).toEqual({ error: 'This key has already been added.' });
    // A key of the seed world counts too.
    const seeded = await post(mock, '/api/ssh_keys/add/', { title: 't', key: 'ssh-rsa tt3BPrBTUCGXsCXmiF03LD/f9' });
    expect(seeded.json).toEqual({ error: 'This key has already been added.' });
    expect(await keyIds(mock)).toHaveLength(count);
  });

  it('refuses an invalid key', async () => {
    const mock = await startMock();
    const count = (await keyIds(mock)).length;
    for (const key of ['not a key', 'ssh-foo AAAA', 'ssh-rsa', 'ssh-rsa AAA!!!', '-----BEGIN RSA PRIVATE KEY-----']) {
      const reply = await post(mock, '/api/ssh_keys/add/', { title: 'bad', key });
      expect(reply.json, key).toEqual({ error: 'Invalid SSH public key.' });
    }
    expect((await post(mock, '/api/ssh_keys/add/', { title: 'no key' })).json).toEqual({
      error: 'Parameter key is required.',
    });
    expect(await keyIds(mock)).toHaveLength(count);
  });

  it('adds a key to an order and deletes it from the order', async () => {
    const mock = await startMock();
    const added = await post(mock, '/api/ssh_keys/add/', { title: 'alpha', key: KEY_A });
    const id = (added.json as { id: number }).id;
    const orderKeys = '/api/ssh_keys/34-177054/';
    const before = await keyIds(mock, orderKeys);

    expect((await post(mock, '/api/ssh_keys/34-177054/add/', { key_pk: String(id) })).json).toEqual({ ok: true });
    expect(await keyIds(mock, orderKeys)).toEqual([...before, id].sort((x, y) => x - y));
    // Adding it twice keeps one copy.
    await post(mock, '/api/ssh_keys/34-177054/add/', { key_pk: String(id) });
    expect((await keyIds(mock, orderKeys)).filter((k) => k === id)).toHaveLength(1);

    expect((await post(mock, '/api/ssh_keys/34-177054/delete/', { key_pk: String(id) })).json).toEqual({ ok: true });
    expect(await keyIds(mock, orderKeys)).toEqual(before);
    expect((await post(mock, '/api/ssh_keys/34-177054/delete/', { key_pk: String(id) })).json).toEqual({
      error: 'The key is not installed on this order.',
    });
    // Still an account key.
    expect(await keyIds(mock)).toContain(id);
  });

  it('delete removes the key from the account and from every order', async () => {
    const mock = await startMock();
    // Key 67 is on 34-177054 and on the dedicated server 34-5678.
    expect(await keyIds(mock, '/api/ssh_keys/34-177054/')).toContain(67);
    expect(await keyIds(mock, '/api/ssh_keys/34-5678/')).toContain(67);

    expect((await post(mock, '/api/ssh_keys/delete/', { key_pk: '67' })).json).toEqual({ ok: true });
    expect(await keyIds(mock)).not.toContain(67);
    expect(await keyIds(mock, '/api/ssh_keys/34-177054/')).not.toContain(67);
    expect(await keyIds(mock, '/api/ssh_keys/34-5678/')).not.toContain(67);
    expect((await post(mock, '/api/ssh_keys/delete/', { key_pk: '67' })).json).toEqual({ error: 'Key not found.' });
  });

  it('refuses keys on orders that cannot take them', async () => {
    const mock = await startMock();
    expect((await post(mock, '/api/ssh_keys/375-13/add/', { key_pk: '67' })).json).toEqual({
      error: 'This action is not available for order 375-13.',
    });
  });
});
