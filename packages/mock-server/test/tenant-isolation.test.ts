// Tenant isolation over the whole contract: every endpoint of core's list is called by one tenant
// with the other's objects (created by it, and seeded), and must answer exactly as for a missing one.

import { type Dialect, dialects, type EndpointDefinition, endpoints } from '@fornex-flow/core';
import { describe, expect, it } from 'vitest';
import { admin, errorOf, get, OTHER, PERSONAL, post, type Reply, startMock, state, type Target } from './helpers.js';

/** Parameters that name an object of the caller's tenant, by the kind of object. */
const slotKinds = {
  order_id: 'order',
  order: 'order',
  key_pk: 'sshKey',
  name: 'domain',
  pk: 'record',
  log_id: 'job',
  // Searches: a term only the owner's data holds must find nothing for the other tenant.
  q: 'text',
  tag: 'tag',
} as const;
type SlotKind = (typeof slotKinds)[keyof typeof slotKinds];

/** A value nobody holds, for each kind: the answer to it is the documented not-found. */
const missing: Record<SlotKind, string> = {
  order: '34-999999',
  sshKey: '999999',
  domain: 'nobody-holds-this.example',
  record: '999998',
  job: '999997',
  text: 'nobody-holds-this-text',
  tag: 'nobody-holds-this-tag',
};

/** Valid values of the parameters that name no object (the caller's own choices). */
const plainValues: Record<string, string> = {
  field: 'cpu',
  start: '2024-01-01',
  end: '2024-01-02',
  period: 'month',
  port: '0',
  proto: 'udp',
  title: 'isolation probe',
  key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIsolationProbeKey probe@host',
  url: 'http://127.0.0.1:9/probe-hook',
  ip: '192.0.2.201',
  host: 'probe',
  type: 'A',
  value: '192.0.2.202',
  ttl: '600',
  prio: '10',
  nss: 'ns1.example.net,ns2.example.net',
};

interface Tenant {
  key: string;
  id: string;
  /** Object values by kind, as the API names them. */
  own: Record<SlotKind, string[]>;
  /** Texts only this tenant's data holds. */
  markers: string[];
}

/** Creates a key, a domain with a record, a webhook and a password job for a tenant, each with its own texts. */
async function populate(mock: Target, key: string, tag: string): Promise<void> {
  const vps = key === PERSONAL ? '34-177054' : '34-500001';
  const blob = `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${tag}Created ${tag}-created@host`;
  const created = await post(mock, '/api/ssh_keys/add/', { title: `${tag}-key-title`, key: blob }, key);
  const keyId = (created.json as { id: number }).id;
  expect((await post(mock, `/api/ssh_keys/${vps}/add/`, { key_pk: String(keyId) }, key)).json).toEqual({ ok: true });
  const domain = `${tag}-zone.example`;
  expect((await post(mock, '/api/dns/v0.1/add_domain/', { name: domain, ip: '192.0.2.99' }, key)).json).toEqual({
    ok: true,
    name: domain,
  });
  const record = { host: `${tag}-host`, type: 'TXT', value: `${tag}-record-text` };
  expect(errorOf(await post(mock, `/api/dns/v0.1/${domain}/entry_set/add/`, record, key))).toBeUndefined();
  const hook = await post(mock, '/api/tickets/webhook_set/', { url: `http://127.0.0.1:9/${tag}-hook` }, key);
  expect(errorOf(hook)).toBeUndefined();
  expect(errorOf(await get(mock, `/api/vps/passwd_reset/${vps}/`, key))).toBeUndefined();
}

/** The tenant's objects as the world holds them, and the texts that are only its own. */
async function tenantOf(mock: Target, key: string, id: string, tag: string): Promise<Tenant> {
  const world = (await state(mock)).json;
  const t = world.tenants.find((tenant) => tenant.id === id)!;
  const raw = t as unknown as {
    jobs: { id: number }[];
    domains: { name: string; tags: string[]; records: { id: number; value: string; host: string }[] }[];
    sshKeys: { id: number; key: string; title: string }[];
    webhook: { url: string | null };
  };
  const records = raw.domains.flatMap((d) => d.records);
  const own: Record<SlotKind, string[]> = {
    order: t.orders.map((o) => o.id),
    sshKey: raw.sshKeys.map((k) => String(k.id)),
    domain: raw.domains.map((d) => d.name),
    record: records.map((r) => String(r.id)),
    job: raw.jobs.map((j) => String(j.id)),
    text: [`${tag}-record-text`, `${tag}-host`, `${tag}-key-title`, `${tag}-zone`],
    tag: [...new Set(raw.domains.flatMap((d) => d.tags))],
  };
  const markers = [
    ...own.order,
    ...own.domain,
    ...raw.sshKeys.flatMap((k) => [k.key.split(' ')[1]!, k.title]),
    ...own.text,
    raw.webhook.url!,
  ];
  return { key, id, own, markers };
}

interface Call {
  endpoint: EndpointDefinition;
  values: Record<string, string>;
}

/** Sends a call of an endpoint with these parameter values, as the endpoint's method carries them. */
async function send(mock: Target, call: Call, key: string, dialect: Dialect): Promise<Reply> {
  const { endpoint, values } = call;
  const path = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name]!));
  const fields = Object.fromEntries(
    Object.keys(endpoint.params).flatMap((n) => (n in values ? [[n, values[n]!]] : [])),
  );
  const headers = { 'x-mock-dialect': dialect };
  if (endpoint.method === 'GET') {
    const query = new URLSearchParams(fields).toString();
    return get(mock, query ? `${path}?${query}` : path, key, headers);
  }
  return post(mock, path, fields, key, headers);
}

/** The intruder's own value for every parameter, the slot under test aside. */
function ownValues(endpoint: EndpointDefinition, intruder: Tenant): Record<string, string> {
  const values: Record<string, string> = {};
  const names = [...Object.keys(endpoint.pathParams), ...Object.keys(endpoint.params)];
  for (const name of names) {
    const kind = slotKinds[name as keyof typeof slotKinds];
    if (kind === 'text' || kind === 'tag') continue; // optional searches: left out
    if (kind) {
      // The intruder's VPS (its only order), its created domain and that domain's newest record, its job.
      const pool = intruder.own[kind];
      const value = kind === 'domain' ? pool.find((d) => d.endsWith('-zone.example')) : pool.at(-1);
      values[name] = value ?? missing[kind];
    } else {
      const plain = plainValues[name];
      if (plain === undefined) throw new Error(`no value for parameter ${name} of ${endpoint.id}: add one`);
      values[name] = plain;
    }
  }
  return values;
}

/** Comparable form of a reply, the owner's value written as the missing one (an echo is no leak). */
function shape(reply: Reply, from?: string, to?: string) {
  const text = from && to ? reply.text.split(from).join(to) : reply.text;
  return { status: reply.status, type: reply.headers.get('content-type'), text };
}

/** The owner's part of the world, for an unchanged check. */
async function ownerState(mock: Target, id: string): Promise<string> {
  return JSON.stringify((await state(mock)).json.tenants.find((t) => t.id === id));
}

describe('tenant isolation on every endpoint of the contract', () => {
  it.each([
    ['personal', 'other'],
    ['other', 'personal'],
  ])(
    "%s's objects are invisible and untouchable to %s, in both dialects",
    async (ownerId, intruderId) => {
      const mock = await startMock();
      const keyOf = (id: string) => (id === 'personal' ? PERSONAL : OTHER);
      const tagOf = (id: string) => (id === 'personal' ? 'alpha' : 'bravo');
      const covered = new Set<string>();
      let foreignCalls = 0;

      for (const dialect of dialects) {
        for (const endpoint of endpoints) {
          // A fresh world per endpoint: a delete by the intruder of its own objects must not weaken
          // the checks of the endpoints after it.
          expect((await admin(mock, 'POST', '/reset')).status).toBe(200);
          await populate(mock, PERSONAL, 'alpha');
          await populate(mock, OTHER, 'bravo');
          const owner = await tenantOf(mock, keyOf(ownerId), ownerId, tagOf(ownerId));
          const intruder = await tenantOf(mock, keyOf(intruderId), intruderId, tagOf(intruderId));
          for (const marker of owner.markers) expect(intruder.markers.join(' ')).not.toContain(marker);
          const before = await ownerState(mock, ownerId);

          const base = ownValues(endpoint, intruder);
          const names = [...Object.keys(endpoint.pathParams), ...Object.keys(endpoint.params)];
          const slots = names.filter((name) => name in slotKinds);
          for (const slot of slots) {
            const kind = slotKinds[slot as keyof typeof slotKinds];
            for (const theirs of owner.own[kind]) {
              const label = `${dialect} ${endpoint.id} ${slot}=${theirs}`;
              const foreign = await send(
                mock,
                { endpoint, values: { ...base, [slot]: theirs } },
                intruder.key,
                dialect,
              );
              const absent = await send(
                mock,
                { endpoint, values: { ...base, [slot]: missing[kind] } },
                intruder.key,
                dialect,
              );
              foreignCalls++;
              if (endpoint.id === 'dns.addDomain') {
                // DNS names are one namespace: another tenant's zone is refused as taken (a missing
                // name would be created), and the refusal says nothing else about it.
                expect(errorOf(foreign), label).toMatch(/already in use|уже используется/);
                continue;
              }
              expect(shape(foreign, theirs, missing[kind]), label).toEqual(shape(absent));
              // An object by id: the documented not-found (a search finds nothing instead).
              if (kind !== 'text' && kind !== 'tag') expect(errorOf(absent), label).toEqual(expect.any(String));
              for (const marker of owner.markers.filter((m) => m !== theirs))
                expect(foreign.text, `${label} shows ${marker}`).not.toContain(marker);
            }
          }
          // Then the call with only the intruder's own values: none of the owner's data in its answer.
          const plain = await send(mock, { endpoint, values: base }, intruder.key, dialect);
          expect(plain.status, endpoint.id).not.toBe(500);
          for (const marker of owner.markers)
            expect(plain.text, `${endpoint.id} shows ${marker}`).not.toContain(marker);
          covered.add(endpoint.id);
          // Nothing the intruder sent changed the owner's part of the world.
          expect(await ownerState(mock, ownerId), `${dialect} ${endpoint.id}`).toBe(before);
        }
      }
      expect([...covered].sort()).toEqual(endpoints.map((e) => e.id).sort());
      expect(foreignCalls).toBeGreaterThan(100);
    },
    60_000,
  );
});
