import type { z } from 'zod';
import type { EndpointDefinition } from '../api/define-endpoint.js';
import type { Dialect } from '../api/dialect.js';
import { toValidationIssues, type ValidationIssue } from './fornex-error.js';
import type { Prettify, RawResponse } from './types.js';

// One type per endpoint, whichever dialect answered. Field names stay the documented ones; the
// en document (the newer, fuller one) gives the shape, and a field only one dialect sends is
// optional. Endpoints absent from `NormalizedResults` answer the same shape in both dialects
// (test/client/types.test-d.ts checks that at compile time).

type Item<T> = T extends readonly (infer I)[] ? I : never;
type WithOptional<T, K extends keyof T> = Prettify<Omit<T, K> & Partial<Pick<T, K>>>;

/** `{ ok: true }`: VPS power actions (`"True"` on the wire) and change_ns (`[{"ok": true}]` on the wire). */
export interface OkResult {
  ok: boolean;
}
/** An order of `orders.list`; `tariff_id` and `tariff_price` are sent by the en dialect only. */
export type Order = WithOptional<Item<RawResponse<'orders.list', 'en'>>, 'tariff_id' | 'tariff_price'>;
/** A dedicated-server plan: `locations` always a list, `location` its first entry when there is one. */
export type DedicatedPlan = Prettify<
  Omit<Item<RawResponse<'plans.dedicated', 'en'>>, 'locations'> & { locations: string[] }
>;
/** A web-hosting plan; every count is a number (the ru dialect writes three of them as strings). */
export type HostingPlan = Item<RawResponse<'plans.hosting', 'en'>>;
/** A root password reset: the new `passwd`, and `resp_id` (the job to poll) when the dialect sends it. */
export interface PasswdReset {
  passwd: string;
  resp_id?: number;
}
/** An SSH key of the account. */
export type SshKey = RawResponse<'sshKeys.add', 'en'>;
/** A DNS record; `ttl` is sent by the en dialect only (null: the default TTL). */
export type DnsRecord = WithOptional<Item<RawResponse<'dns.records', 'en'>['entry_set']>, 'ttl'>;
type DomainEn = Item<RawResponse<'dns.domainList', 'en'>>;
/** A DNS record as `dns.domainList` lists it; `ttl` is sent by the en dialect only. */
export type DomainListRecord = WithOptional<Item<DomainEn['entry_set']>, 'ttl'>;
/** A domain of `dns.domainList` with its records. */
export type DnsDomain = Prettify<Omit<DomainEn, 'entry_set'> & { entry_set: DomainListRecord[] }>;

/** The normalized result of every endpoint whose dialects or wire shape need normalizing. */
export interface NormalizedResults {
  'orders.list': Order[];
  'plans.dedicated': DedicatedPlan[];
  'plans.hosting': HostingPlan[];
  'vps.stop': OkResult;
  'vps.start': OkResult;
  'vps.hardReset': OkResult;
  'vps.restart': OkResult;
  'vps.passwdReset': PasswdReset;
  'sshKeys.add': SshKey;
  'dns.domainList': DnsDomain[];
  'dns.records': { entry_set: DnsRecord[] };
  'domains.changeNs': OkResult;
}

type Normalizers = {
  readonly [Id in keyof NormalizedResults]: {
    readonly en: (raw: RawResponse<Id, 'en'>) => NormalizedResults[Id];
    readonly ru: (raw: RawResponse<Id, 'ru'>) => NormalizedResults[Id];
  };
};

// Where one dialect's shape already is the normalized one (a missing optional field).
const same = <T>(raw: T): T => raw;
const power = { en: okFromString, ru: okFromString };

function okFromString(raw: { ok: 'True' | 'False' }): OkResult {
  return { ok: raw.ok === 'True' };
}

function dedicatedEn(plan: Item<RawResponse<'plans.dedicated', 'en'>>): DedicatedPlan {
  const { location, locations, ...rest } = plan;
  const list = locations ?? (location === undefined ? [] : [location]);
  const first = location ?? list[0];
  return { ...rest, ...(first === undefined ? {} : { location: first }), locations: list };
}

function hostingRu(plan: Item<RawResponse<'plans.hosting', 'ru'>>): HostingPlan {
  return {
    ...plan,
    databases: Number(plan.databases),
    mail_domains: Number(plan.mail_domains),
    mailboxes: Number(plan.mailboxes),
  };
}

/** Per endpoint and dialect: from the validated wire shape to the normalized result. */
const normalizers: Normalizers = {
  'orders.list': { en: same, ru: same },
  'plans.dedicated': {
    en: (plans) => plans.map(dedicatedEn),
    ru: (plans) => plans.map((p) => ({ ...p, locations: [] })),
  },
  'plans.hosting': { en: same, ru: (plans) => plans.map(hostingRu) },
  'vps.stop': power,
  'vps.start': power,
  'vps.hardReset': power,
  'vps.restart': power,
  'vps.passwdReset': { en: ({ passwd, resp_id }) => ({ passwd, resp_id }), ru: ({ passwd }) => ({ passwd }) },
  // The schema holds the ru list to exactly one element.
  'sshKeys.add': { en: same, ru: (keys) => keys[0] as SshKey },
  'dns.domainList': { en: same, ru: same },
  'dns.records': { en: same, ru: same },
  'domains.changeNs': { en: (list) => ({ ok: list[0]?.ok === true }), ru: (list) => ({ ok: list[0]?.ok === true }) },
};

/** The outcome of validating a body: the normalized value, or the schema's issues. */
type ValidatedResponse = { ok: true; value: unknown } | { ok: false; issues: ValidationIssue[] };

/**
 * Validates a body against the endpoint's schema of each dialect (the pinned one only, if given)
 * and normalizes it. Both dialects are tried because a client cannot know which one answers.
 */
export function validateResponse(endpoint: EndpointDefinition, data: unknown, pinned?: Dialect): ValidatedResponse {
  const { en, ru } = endpoint.response;
  const order: readonly Dialect[] = pinned ? [pinned] : en === ru ? ['en'] : ['en', 'ru'];
  let first: z.ZodError | undefined;
  for (const dialect of order) {
    const parsed = endpoint.response[dialect].safeParse(data);
    if (parsed.success) {
      const normalizer = (normalizers as Record<string, Record<Dialect, (raw: unknown) => unknown> | undefined>)[
        endpoint.id
      ];
      return { ok: true, value: normalizer ? normalizer[dialect](parsed.data) : parsed.data };
    }
    first ??= parsed.error;
  }
  return { ok: false, issues: toValidationIssues(first as z.ZodError, order.length > 1 ? ' (en shape)' : '') };
}
