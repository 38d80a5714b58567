import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';

const backup = z.object({ price: z.number(), space: z.number().int(), units: z.string() });
const dedicatedRu = z.object({
  bandwidth: z.string(),
  cpu_model: z.string(),
  cpu_count: z.number().int(),
  disk: z.string(),
  name: z.string(),
  id: z.number().int(),
  price: z.number(),
  ram: z.string(),
});
// The en document gives one `location`; the real service is known to send a `locations` list too.
const dedicatedEn = dedicatedRu.extend({ location: z.string().optional(), locations: z.array(z.string()).optional() });
const vpn = z.object({
  available_locations: z.array(z.string()),
  type: z.string(),
  id: z.number().int(),
  price: z.number(),
});
const vps = z.object({
  bandwidth: z.string(),
  cpu_count: z.number().int(),
  disk: z.string(),
  id: z.number().int(),
  name: z.string(),
  price: z.number(),
  ram: z.string(),
});
const hostingEn = z.object({
  available_locations: z.array(z.string()),
  cpu_cores: z.number().int(),
  databases: z.number().int(),
  hdd_space: z.number().int(),
  mail_domains: z.number().int(),
  mailboxes: z.number().int(),
  name: z.string(),
  id: z.number().int(),
  price: z.number(),
  sites: z.number().int(),
});
const countString = z.string().regex(/^[0-9]+$/);
// The ru document writes three of the counts as strings.
const hostingRu = hostingEn.extend({ databases: countString, mail_domains: countString, mailboxes: countString });

function plan<Id extends string, En extends z.ZodType, Ru extends z.ZodType>(
  id: Id,
  title: string,
  path: string,
  en: En,
  ru: Ru,
  quirk?: string,
) {
  return defineEndpoint({
    id,
    group: 'Plans',
    title,
    method: 'GET',
    path,
    pathParams: {},
    params: {},
    response: { en, ru },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    ...(quirk ? { quirk } : {}),
  });
}

/** Plan (price list) endpoints. */
export const planEndpoints = [
  plan('plans.backups', 'Backups', '/api/plans/backups', z.array(backup), z.array(backup)),
  plan(
    'plans.dedicated',
    'Dedicated servers',
    '/api/plans/dedicated',
    z.array(dedicatedEn),
    z.array(dedicatedRu),
    'en has `location` (a string); ru has none',
  ),
  plan('plans.vpn', 'VPN', '/api/plans/vpn', z.array(vpn), z.array(vpn)),
  plan('plans.vps', 'Virtual servers', '/api/plans/vps', z.array(vps), z.array(vps)),
  plan(
    'plans.hosting',
    'Web Hosting',
    '/api/plans/hosting',
    z.array(hostingEn),
    z.array(hostingRu),
    'ru writes databases, mail_domains and mailboxes as strings',
  ),
] as const;
