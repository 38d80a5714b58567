import { z } from 'zod';
import { describeIssue } from './describe-issue.js';

// Validates a world given by `PUT /__mock/state` or `fornex-mock --seed`: a bad file is refused
// with the path of every problem, and the running world is left as it was.

const int = z.number().int();
const record = z.object({
  id: int.positive(),
  host: z.string(),
  type: z.string(),
  value: z.string(),
  ttl: int.nullable(),
  prio: int.nullable(),
});
const order = z.object({
  id: z.string().min(1),
  type: z.string(),
  name: z.string(),
  hostname: z.string(),
  status: z.string(),
  tariff: z.string(),
  tariff_id: int,
  tariff_price: z.number(),
  cost_month: z.number(),
  expiration_date: z.string(),
  ipaddress_set: z.array(z.string()),
  /** SSH key ids installed on the order. */
  sshKeyIds: z.array(int),
  power: z
    .object({
      state: z.enum(['on', 'off']),
      transition: z.object({ to: z.enum(['on', 'off']), status: z.string(), untilMs: z.number() }).nullable(),
    })
    .nullable(),
  /** Name servers of a domain order. */
  nss: z.array(z.string()).nullable(),
  /** Documented samples served verbatim instead of generated data. */
  samples: z.object({
    stats: z.record(z.string(), z.object({ en: z.unknown(), ru: z.unknown() })).optional(),
    traffic: z
      .array(
        z.object({
          period: z.enum(['month', 'year']),
          port: int,
          order: z.string(),
          data: z.array(z.tuple([z.string(), z.object({ input: z.number(), output: z.number() })])),
        }),
      )
      .optional(),
    trafficUsed: z.record(z.string(), z.unknown()).optional(),
  }),
});
const tenant = z.object({
  id: z.string().min(1),
  account: z.object({
    email: z.string(),
    name: z.string(),
    username: z.string(),
    balance: z.number(),
    currency: z.string(),
    unpaid_invoices_count: int,
    unpaid_invoices_amount: z.number(),
  }),
  orders: z.array(order),
  sshKeys: z.array(
    z.object({
      id: int.positive(),
      title: z.string(),
      key: z.string(),
      /** ISO date-time, rendered localized. */
      created: z.string(),
    }),
  ),
  jobs: z.array(
    z.object({
      id: int.positive(),
      orderId: z.string(),
      action: z.string(),
      job_action: z.string(),
      note: z.string(),
      user: z.string(),
      createdMs: z.number(),
      polls: int.nonnegative(),
      /** Pinned completion (seeded jobs); null lets polls and mock time decide. */
      completed: z.boolean().nullable(),
    }),
  ),
  domains: z.array(
    z.object({
      name: z.string().min(1),
      created: z.string(),
      updated: z.string(),
      tags: z.array(z.string()),
      serial: int,
      records: z.array(record),
    }),
  ),
  webhook: z.object({
    url: z.string().nullable(),
    last_error_message: z.string().nullable(),
    last_error_date: z.string().nullable(),
  }),
  tickets: z.array(z.object({ id: int.positive(), comments: int.nonnegative() })),
});
const catalogList = z.array(z.record(z.string(), z.unknown()));

/** The schema of a whole world (`GET /__mock/state`). */
export const worldStateSchema = z
  .object({
    version: z.literal(1),
    keys: z.array(
      z.object({
        key: z.string().min(1),
        tenant: z.string(),
        /** The right to the protected DNS methods (add_domain, delete_domain). */
        dnsEdit: z.boolean(),
      }),
    ),
    tenants: z.array(tenant),
    catalog: z.object({
      backups: catalogList,
      dedicated: catalogList,
      vpn: catalogList,
      vps: catalogList,
      hosting: catalogList,
    }),
    sequences: z.object({
      job: int.positive(),
      sshKey: int.positive(),
      record: int.positive(),
      password: int.nonnegative(),
    }),
  })
  .superRefine((state, ctx) => {
    // Duplicates would make lookups ambiguous (which tenant does a key open?), so refuse them.
    const duplicate = (values: readonly (string | number)[], path: (string | number)[], what: string) => {
      const seen = new Set<string | number>();
      values.forEach((value, i) => {
        if (seen.has(value))
          ctx.addIssue({ code: 'custom', path: [...path, i], message: `duplicate ${what} ${value}` });
        seen.add(value);
      });
    };
    duplicate(
      state.keys.map((g) => g.key),
      ['keys'],
      'key',
    );
    duplicate(
      state.tenants.map((t) => t.id),
      ['tenants'],
      'tenant id',
    );
    state.tenants.forEach((tenant, t) => {
      duplicate(
        tenant.orders.map((o) => o.id),
        ['tenants', t, 'orders'],
        'order id',
      );
      duplicate(
        tenant.sshKeys.map((k) => k.id),
        ['tenants', t, 'sshKeys'],
        'key id',
      );
      duplicate(
        tenant.domains.map((d) => d.name),
        ['tenants', t, 'domains'],
        'domain',
      );
      tenant.domains.forEach((domain, d) => {
        duplicate(
          domain.records.map((r) => r.id),
          ['tenants', t, 'domains', d, 'records'],
          'record id',
        );
      });
    });
    const tenants = new Set(state.tenants.map((t) => t.id));
    state.keys.forEach((grant, i) => {
      if (!tenants.has(grant.tenant)) {
        ctx.addIssue({ code: 'custom', path: ['keys', i, 'tenant'], message: `no tenant "${grant.tenant}"` });
      }
    });
  });

/** Parses a world; returns it, or a readable list of what is wrong. */
export function parseWorldState(
  input: unknown,
): { ok: true; state: z.output<typeof worldStateSchema> } | { ok: false; error: string } {
  const parsed = worldStateSchema.safeParse(input);
  if (parsed.success) return { ok: true, state: parsed.data };
  const problems = parsed.error.issues.slice(0, 10).map(describeIssue);
  return { ok: false, error: `invalid world state: ${problems.join('; ')}` };
}
