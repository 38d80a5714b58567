import type { WorldState } from './types.js';

/**
 * Adds `count` generated VPS orders (each with the documented key 67) and `count` domains with
 * records to the first tenant. Deterministic: the same count always gives the same world.
 */
export function scaleWorld(state: WorldState, count: number): WorldState {
  const tenant = state.tenants[0];
  if (!tenant || count <= 0) return state;
  for (let i = 1; i <= count; i++) {
    const n = String(i).padStart(6, '0');
    const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
    tenant.orders.push({
      id: `34-9${n}`,
      type: 'vps',
      name: `scale-vps-${n}`,
      hostname: `srv-9${n}.fornex.org`,
      status: 'active',
      tariff: 'SSD Cloud 1GB',
      tariff_id: 433,
      tariff_price: 5,
      cost_month: 5,
      expiration_date: '2026-12-31T23:59:59',
      ipaddress_set: [ip],
      sshKeyIds: [67],
      power: { state: 'on', transition: null },
      nss: null,
      samples: {},
    });
    const next = () => state.sequences.record++;
    tenant.domains.push({
      name: `scale-${n}.example.net`,
      created: '2020-01-01T00:00:00',
      updated: '2020-01-01T00:00:00',
      tags: i % 2 === 0 ? ['scale', 'even'] : ['scale'],
      serial: 2020010101,
      records: [
        { id: next(), host: '', type: 'A', value: ip, ttl: null, prio: null },
        { id: next(), host: 'www', type: 'CNAME', value: `scale-${n}.example.net`, ttl: 3600, prio: null },
        { id: next(), host: '', type: 'MX', value: 'mx.example.net', ttl: null, prio: 10 },
      ],
    });
  }
  return state;
}
