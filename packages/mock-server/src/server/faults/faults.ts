import { z } from 'zod';

/** Statuses whose answer has no body (RFC 9110): a fault with one of them sends none. */
export const NO_BODY_STATUSES: ReadonlySet<number> = new Set([204, 205, 304]);

// What Node accepts in a header value: tab, visible ASCII, space and the rest of Latin-1. A CR or
// LF would split the answer; a character above U+00FF cannot be written at all.
const headerValue = /^[\t\x20-\x7e\x80-\xff]*$/;

/** A fault rule as `POST /__mock/faults` takes it. */
export const faultRuleSchema = z
  .object({
    method: z.string().min(1).max(16).optional(),
    /** Exact path, or a prefix ending in `*`. */
    path: z.string().min(1).max(2048).optional(),
    /** A final status: a 1xx is not an answer, and clients hang waiting for the real one. */
    status: z.number().int().min(200, 'must be a final HTTP status (200-599)').max(599).optional(),
    /** A string is sent as is; anything else as JSON. */
    body: z.unknown().optional(),
    delayMs: z.number().int().min(0).max(600_000).optional(),
    hang: z.boolean().optional(),
    drop: z.boolean().optional(),
    malformed: z.boolean().optional(),
    times: z.number().int().positive().optional(),
    probability: z.number().min(0).max(1).optional(),
    /** Extra response headers of a status/body answer, e.g. `{"retry-after": "2"}`. */
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9a-z-]{1,64}$/i, 'must be a header name'),
        z.string().max(4096).regex(headerValue, 'must be Latin-1 text without CR, LF or control characters'),
      )
      .optional(),
  })
  .strict()
  .superRefine((rule, ctx) => {
    if (rule.status !== undefined && NO_BODY_STATUSES.has(rule.status) && (rule.body !== undefined || rule.malformed))
      ctx.addIssue({ code: 'custom', path: ['body'], message: `a ${rule.status} answer has no body` });
  });

/** A fault rule. */
export type FaultRule = z.infer<typeof faultRuleSchema>;
/** A stored rule with its id and how many times it may still fire (null: always). */
export type StoredFault = FaultRule & { readonly id: number; remaining: number | null };

/** Fault rules, applied in order; the first matching rule that fires wins. */
export interface FaultSet {
  add(rule: FaultRule): StoredFault;
  remove(id: number): boolean;
  clear(): void;
  list(): StoredFault[];
  /** The rule to apply to this request, consuming one of its `times`; or null. */
  take(method: string, path: string): StoredFault | null;
}

function pathMatches(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

/** Creates an empty fault set; `random` is injectable so probability can be tested. */
export function createFaultSet(random: () => number = Math.random): FaultSet {
  let rules: StoredFault[] = [];
  let nextId = 1;
  return {
    add(rule) {
      const stored: StoredFault = { ...rule, id: nextId++, remaining: rule.times ?? null };
      rules.push(stored);
      return stored;
    },
    remove(id) {
      const before = rules.length;
      rules = rules.filter((r) => r.id !== id);
      return rules.length < before;
    },
    clear() {
      rules = [];
    },
    list: () => rules.map((r) => ({ ...r })),
    take(method, path) {
      for (const rule of rules) {
        if (rule.method && rule.method.toUpperCase() !== method) continue;
        if (rule.path && !pathMatches(rule.path, path)) continue;
        if (rule.probability !== undefined && random() >= rule.probability) continue;
        if (rule.remaining !== null && --rule.remaining <= 0) rules = rules.filter((r) => r !== rule);
        return rule;
      }
      return null;
    },
  };
}
