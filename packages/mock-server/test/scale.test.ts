import { describe, expect, it } from 'vitest';
import { createDefaultWorldState } from '../src/index.js';
import { admin, get, post, startMock, state } from './helpers.js';

const NEW_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAISeedCopyTestKey seed@test';

describe('scale option', () => {
  it('adds N VPS orders, each with key 67, and N domains with records', async () => {
    const plain = await startMock({});
    const scaled = await startMock({ scale: 3 });

    const plainOrders = (await get(plain, '/api/orders/list')).json as Array<{ id: string }>;
    const orders = (await get(scaled, '/api/orders/list')).json as Array<{ id: string; type: string }>;
    const added = orders.slice(plainOrders.length);
    expect(orders.slice(0, plainOrders.length)).toEqual(plainOrders);
    expect(added).toHaveLength(3);
    expect(new Set(added.map((o) => o.id)).size).toBe(3);
    for (const order of added) {
      expect(order.type).toBe('vps');
      const keys = (await get(scaled, `/api/ssh_keys/${order.id}/`)).json as Array<{ id: number }>;
      expect(keys.map((k) => k.id)).toEqual([67]);
      // They are real VPS orders: power works on them.
      expect((await get(scaled, `/api/vps/status/${order.id}/`)).json).toEqual({ status: 'on' });
    }

    const plainDomains = (await get(plain, '/api/dns/v0.1/domain_list.json')).json as unknown[];
    const domains = (await get(scaled, '/api/dns/v0.1/domain_list.json')).json as Array<{
      name: string;
      entry_set: unknown[];
    }>;
    const newDomains = domains.slice(plainDomains.length);
    expect(newDomains).toHaveLength(3);
    for (const domain of newDomains) {
      expect(domain.entry_set.length).toBeGreaterThan(0);
      expect((await get(scaled, `/api/dns/v0.1/${domain.name}/zone_file/`)).status).toBe(200);
    }
  });

  it('is deterministic: two servers with the same scale have identical state', async () => {
    const a = await startMock({ scale: 5 });
    const b = await startMock({ scale: 5 });
    expect((await state(b)).text).toBe((await state(a)).text);
    const c = await startMock({ scale: 4 });
    expect((await state(c)).text).not.toBe((await state(a)).text);
  });

  it('scale 0 is the default world', async () => {
    expect((await state(await startMock({ scale: 0 }))).text).toBe((await state(await startMock({}))).text);
  });
});

describe('a caller-supplied seed', () => {
  it('is copied: scaling, requests and reset never change the caller object', async () => {
    const seed = createDefaultWorldState();
    const before = structuredClone(seed);
    const mock = await startMock({ seed, scale: 2 });
    expect((await post(mock, '/api/ssh_keys/add/', { title: 't', key: NEW_KEY })).status).toBe(200);
    expect((await state(mock)).json.tenants[0]?.orders.length).toBe(before.tenants[0]!.orders.length + 2);
    await admin(mock, 'POST', '/reset');
    expect(seed).toEqual(before);
  });
});
