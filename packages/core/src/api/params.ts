import { z } from 'zod';

// Wire values are strings; callers of the client may pass numbers. Every schema accepts both and
// outputs the canonical type, refusing the empty string (z.coerce would turn "" into 0).

const digits = /^[0-9]{1,18}$/;

/** A positive integer id given as a number or a string of digits (`key_pk`, `log_id`, `pk`). */
export const intId = z
  .union([
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(digits, 'must be a positive integer'),
  ])
  .transform(Number)
  .pipe(z.number().int().positive().max(Number.MAX_SAFE_INTEGER, 'is too large'));

/** A non-negative integer given as a number or a string (`port`, `prio`). */
export const nonNegativeInt = z
  .union([z.number().int().nonnegative().max(65535), z.string().regex(digits, 'must be a non-negative integer')])
  .transform(Number)
  .pipe(z.number().int().nonnegative().max(65535, 'is too large'));

/** An order number as the API writes it: `34-177054`, `301-12312`, `375-13`. */
export const orderId = z.string().regex(/^[0-9]{1,6}-[0-9]{1,12}$/, 'must look like 34-177054');

const label = '(?!-)[a-z0-9-]{1,63}(?<!-)';
const hostnamePattern = new RegExp(`^(?=.{1,253}$)${label}(\\.${label})*\\.?$`, 'i');

/** A domain name, e.g. `example.com` (IDN in punycode). */
export const domainName = z
  .string()
  .regex(new RegExp(`^(?=.{1,253}$)${label}(\\.${label})+$`, 'i'), 'must be a domain name like example.com')
  .transform((name) => name.toLowerCase());

/** A host name, e.g. `ns1.company.com`. */
export const hostname = z.string().regex(hostnamePattern, 'must be a host name');

/** A calendar date `YYYY-MM-DD` that exists. */
export const isoDate = z
  .string()
  .regex(/^[0-9]{4}-[0-9]{2}-[0-9]{2}$/, 'must be a date YYYY-MM-DD')
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, 'is not a real date');

/** DNS record types the English document lists (the Russian one lists all but SPF and CAA). */
export const recordTypes = ['A', 'AAAA', 'TXT', 'SPF', 'CNAME', 'NS', 'MX', 'SRV', 'CAA'] as const;
/** One DNS record type. */
export const recordType = z.enum(recordTypes);

/** The only TTLs the API accepts, in seconds. */
export const ttlValues = [120, 300, 600, 900, 1800, 3600, 7200, 18000, 43200, 86400] as const;
/** A documented TTL, as a number or a string of digits. */
export const ttl = z
  .union([z.number(), z.string().regex(digits, 'must be a number of seconds')])
  .transform(Number)
  .pipe(
    z.union(ttlValues.map((value) => z.literal(value)) as unknown as [z.ZodLiteral<120>, ...z.ZodLiteral<number>[]], {
      error: `must be one of ${ttlValues.join(', ')} seconds`,
    }),
  )
  .transform((value) => value as (typeof ttlValues)[number]);

/** A record's host: `@`, `*`, a subdomain, or empty for the zone apex. */
export const recordHost = z
  .string()
  .max(253)
  .regex(
    /^(@|\*|(\*\.)?[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*|)$/i,
    'must be @, * or a subdomain',
  );

/** Statistics fields of `vps_stat`. */
export const statFields = ['cpu', 'memory', 'traffic', 'disk', 'inodes', 'io'] as const;

/** A list of name servers: a comma-separated string (as on the wire) or a list. */
export const nameServers = z
  .union([z.string(), z.array(z.string())])
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((ns) => ns.trim()).filter(Boolean))
  .pipe(z.array(hostname).min(1, 'needs at least one name server').max(13, 'allows at most 13 name servers'));

/** A webhook URL, or the empty string to switch webhooks off. */
export const webhookUrl = z
  .string()
  .max(2048)
  .refine((value) => value === '' || /^https?:\/\/[^\s]+$/i.test(value), 'must be an http(s) URL or empty');
