import type { z } from 'zod';
import type { EndpointDefinition } from '../../api/define-endpoint.js';
import type { Dialect } from '../../api/dialect.js';
import { toValidationIssues, type ValidationIssue } from '../fornex-error.js';
import type { DedicatedPlan, HostingPlan, Item, NormalizedResults, OkResult, SshKey } from './normalized-results.js';
import type { RawResponse } from './raw-response.js';

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
