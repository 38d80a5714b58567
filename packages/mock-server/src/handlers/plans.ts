import type { Dialect } from '@fornex-flow/core';
import { pyFloat } from '../py-json/index.js';
import type { HandlerGroup } from './types.js';

type Plan = Record<string, unknown>;

// The ru document writes sizes and speeds in Russian units.
const ruUnits: Array<[RegExp, string]> = [
  [/\bGbit\/s\b/g, 'Гбит/сек'],
  [/\bMbit\/s\b/g, 'Мбит/сек'],
  [/\bGB\b/g, 'ГБ'],
  [/\bTB\b/g, 'ТБ'],
];
const localizedFields = new Set(['bandwidth', 'disk', 'ram']);

function localize(plan: Plan, dialect: Dialect, drop: readonly string[] = [], asStrings: readonly string[] = []): Plan {
  const out: Plan = {};
  for (const [key, value] of Object.entries(plan)) {
    if (dialect === 'ru' && drop.includes(key)) continue;
    if (key === 'price' && typeof value === 'number') out[key] = pyFloat(value);
    else if (dialect === 'ru' && typeof value === 'string' && localizedFields.has(key)) {
      out[key] = ruUnits.reduce((text, [pattern, unit]) => text.replace(pattern, unit), value);
    } else if (dialect === 'ru' && asStrings.includes(key) && typeof value === 'number') out[key] = String(value);
    else out[key] = value;
  }
  return out;
}

/** plans.* handlers: the shared catalog, localized per dialect. */
export const planHandlers = {
  'plans.backups': ({ world, dialect }) => world.state.catalog.backups.map((p) => localize(p, dialect)),
  'plans.dedicated': ({ world, dialect }) =>
    world.state.catalog.dedicated.map((p) => localize(p, dialect, ['location', 'locations'])),
  'plans.vpn': ({ world, dialect }) => world.state.catalog.vpn.map((p) => localize(p, dialect)),
  'plans.vps': ({ world, dialect }) => world.state.catalog.vps.map((p) => localize(p, dialect)),
  'plans.hosting': ({ world, dialect }) =>
    world.state.catalog.hosting.map((p) => localize(p, dialect, [], ['databases', 'mail_domains', 'mailboxes'])),
} satisfies HandlerGroup<'plans'>;
