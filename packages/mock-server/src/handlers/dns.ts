import { isIPv4, isIPv6 } from 'node:net';
import { isoDateTime, moscowDay } from '../render/dates.js';
import { renderZoneFile } from '../render/zone-file.js';
import type { DnsRecord, Domain } from '../world/types.js';
import { nextId } from './next-id.js';
import { ApiFailure, type HandlerGroup, type ParamsOf, type RequestContext, textReply } from './types.js';

const hostname =
  /^(?=.{1,253}\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

const valueChecks: Record<string, (value: string) => boolean> = {
  A: (v) => isIPv4(v),
  AAAA: (v) => isIPv6(v),
  CNAME: (v) => hostname.test(v),
  NS: (v) => hostname.test(v),
  MX: (v) => hostname.test(v),
  SRV: (v) => /^\d{1,5} \d{1,5} \S+$/.test(v) && hostname.test(v.split(' ')[2] ?? ''),
  CAA: (v) => /^\d{1,3} (issue|issuewild|iodef) \S.*$/.test(v),
};

function findDomain(ctx: RequestContext, name: string): Domain {
  const domain = ctx.tenant.domains.find((d) => d.name === name);
  if (!domain) throw new ApiFailure('domainNotFound');
  return domain;
}

function findRecord(domain: Domain, pk: number): DnsRecord {
  const record = domain.records.find((r) => r.id === pk);
  if (!record) throw new ApiFailure('recordNotFound');
  return record;
}

/** The first SOA serial (YYYYMMDD00) of the Moscow day of `now`. */
function serialOfDay(now: number): number {
  return Number(moscowDay(now).replace(/-/g, '')) * 100;
}

/** Bumps the SOA serial (YYYYMMDDnn) and the domain's `updated`. */
function touch(domain: Domain, now: number): void {
  domain.serial = Math.max(domain.serial + 1, serialOfDay(now));
  domain.updated = isoDateTime(now);
}

/** Validates and normalizes record parameters into a record body. */
function recordFrom(p: ParamsOf<'dns.addRecord'>): Omit<DnsRecord, 'id'> {
  const { value } = p;
  const check = valueChecks[p.type];
  if (check && !check(value)) throw new ApiFailure('invalidValue', { type: p.type });
  // Priority only means something for MX and SRV; the documented examples send it for A too.
  const usesPrio = p.type === 'MX' || p.type === 'SRV';
  return {
    host: p.host === '@' ? '' : p.host.toLowerCase(),
    type: p.type,
    value,
    ttl: p.ttl ?? null,
    prio: usesPrio ? (p.prio ?? 10) : null,
  };
}

function sameRecord(a: Omit<DnsRecord, 'id'>, b: Omit<DnsRecord, 'id'>): boolean {
  return a.host === b.host && a.type === b.type && a.value.toLowerCase() === b.value.toLowerCase();
}

function listRecord(record: DnsRecord, ctx: RequestContext) {
  return ctx.dialect === 'ru'
    ? { host: record.host, type: record.type, id: record.id, value: record.value }
    : { host: record.host, id: record.id, type: record.type, ttl: record.ttl, value: record.value };
}

function entry(record: DnsRecord, ctx: RequestContext) {
  const base = { id: record.id, host: record.host, prio: record.prio, type: record.type };
  return ctx.dialect === 'ru' ? { ...base, value: record.value } : { ...base, ttl: record.ttl, value: record.value };
}

function contains(haystack: string, needle: string): boolean {
  return haystack.toLowerCase().includes(needle);
}

/** dns.* handlers. */
export const dnsHandlers = {
  'dns.addDomain': (ctx) => {
    const { name, ip } = ctx.params;
    // Adding a domain you already have is a no-op that answers ok (the examples add example.com,
    // which the other examples need to exist); another tenant's domain is refused.
    if (ctx.tenant.domains.some((d) => d.name === name)) return { ok: true, name };
    if (ctx.world.state.tenants.some((t) => t.domains.some((d) => d.name === name))) {
      throw new ApiFailure('domainTaken');
    }
    const now = isoDateTime(ctx.now);
    const id = nextId(ctx.world.state.sequences, 'record');
    ctx.tenant.domains.push({
      name,
      created: now,
      updated: now,
      tags: [],
      serial: serialOfDay(ctx.now) + 1,
      records: [{ id, host: '', type: isIPv6(ip) ? 'AAAA' : 'A', value: ip, ttl: null, prio: null }],
    });
    return { ok: true, name };
  },
  'dns.addRecord': (ctx) => {
    const domain = findDomain(ctx, ctx.params.name);
    const body = recordFrom(ctx.params);
    if (domain.records.some((r) => sameRecord(r, body))) throw new ApiFailure('duplicateRecord');
    const record = { id: nextId(ctx.world.state.sequences, 'record'), ...body };
    domain.records.push(record);
    touch(domain, ctx.now);
    return ctx.dialect === 'ru' ? { pk: record.id, ok: true } : { ok: true, pk: record.id };
  },
  'dns.deleteDomain': (ctx) => {
    const domain = findDomain(ctx, ctx.params.name);
    ctx.tenant.domains = ctx.tenant.domains.filter((d) => d !== domain);
    return { ok: true };
  },
  'dns.deleteRecord': (ctx) => {
    const domain = findDomain(ctx, ctx.params.name);
    const record = findRecord(domain, ctx.params.pk);
    domain.records = domain.records.filter((r) => r !== record);
    touch(domain, ctx.now);
    return { ok: true };
  },
  'dns.domainList': (ctx) => {
    const q = ctx.params.q?.trim().toLowerCase();
    const { tag } = ctx.params;
    return ctx.tenant.domains
      .filter((d) => !tag || d.tags.includes(tag))
      .filter((d) => !q || contains(d.name, q) || d.records.some((r) => contains(r.value, q)))
      .map((d) => ({
        name: d.name,
        created: d.created,
        updated: d.updated,
        entry_set: d.records.map((r) => listRecord(r, ctx)),
        tags: d.tags,
      }));
  },
  'dns.records': (ctx) => {
    const domain = findDomain(ctx, ctx.params.name);
    const q = ctx.params.q?.trim().toLowerCase();
    const records = q
      ? domain.records.filter((r) => contains(r.host, q) || contains(r.value, q) || r.type.toLowerCase() === q)
      : domain.records;
    return { entry_set: records.map((r) => entry(r, ctx)) };
  },
  'dns.updateRecord': (ctx) => {
    const domain = findDomain(ctx, ctx.params.name);
    const record = findRecord(domain, ctx.params.pk);
    const body = recordFrom(ctx.params);
    if (domain.records.some((r) => r !== record && sameRecord(r, body))) throw new ApiFailure('duplicateRecord');
    Object.assign(record, body);
    touch(domain, ctx.now);
    return { ok: true };
  },
  'dns.zoneFile': (ctx) => textReply(renderZoneFile(findDomain(ctx, ctx.params.name)), 'text/plain; charset=utf-8'),
} satisfies HandlerGroup<'dns'>;
