import { z } from 'zod';

// Shapes shared by several endpoints. Objects are not strict: a new field from the real service
// must not break a client; the mock's own tests compare key sets with the documented examples.

/** `{"ok": "True"}`: what VPS power actions answer (a string, kept as documented). */
export const okString = z.object({ ok: z.enum(['True', 'False']) });

/** `{"ok": true}`: what SSH, DNS and ticket actions answer. */
export const okBoolean = z.object({ ok: z.boolean() });

/** An SSH key as listed; `date` is localized ("December 19, 2017" / "19 декабря 2017 г."). */
export const sshKey = z.object({ date: z.string(), id: z.number().int(), key: z.string(), title: z.string() });

/** A DNS record inside `domain_list` (en carries `ttl`, ru does not). */
export const domainListRecordEn = z.object({
  host: z.string(),
  id: z.number().int(),
  type: z.string(),
  ttl: z.number().int().nullable(),
  value: z.string(),
});
/** A DNS record inside `domain_list`, Russian document. */
export const domainListRecordRu = domainListRecordEn.omit({ ttl: true });

/** A DNS record of `entry_set.json` (en carries `ttl`, ru does not). */
export const recordEn = z.object({
  id: z.number().int(),
  host: z.string(),
  prio: z.number().int().nullable(),
  type: z.string(),
  ttl: z.number().int().nullable(),
  value: z.string(),
});
/** A DNS record of `entry_set.json`, Russian document. */
export const recordRu = recordEn.omit({ ttl: true });

/** One Highcharts series of `vps_stat`. */
export const statSeries = z.object({
  color: z.string(),
  data: z.array(z.number()),
  name: z.string(),
  pointEnd: z.number().int(),
  pointInterval: z.number().int().positive(),
  pointStart: z.number().int(),
  type: z.string().optional(),
});

/** Text bodies (zone file, VPN config). */
export const textBody = z.string();
