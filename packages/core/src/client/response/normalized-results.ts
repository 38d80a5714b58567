import type { Prettify, RawResponse } from './raw-response.js';

// One type per endpoint, whichever dialect answered. Field names stay the documented ones; the
// en document (the newer, fuller one) gives the shape, and a field only one dialect sends is
// optional. Endpoints absent from `NormalizedResults` answer the same shape in both dialects
// (test/client/types.test-d.ts checks that at compile time).

/** The element type of an array type. */
export type Item<T> = T extends readonly (infer I)[] ? I : never;
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
