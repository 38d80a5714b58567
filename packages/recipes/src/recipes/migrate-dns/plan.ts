import type { FornexClient } from '@fornex-flow/core';
import { parseRecipeInput, type RecipePlan } from '../shared/plan.js';
import { migrateDns } from './recipe.js';
import { recordLabel } from './records.js';
import { backupAndPlan, findDomains } from './steps.js';

/** The dry run of `migrate-dns`: finds the domains and reads their records (the run's own reads); changes nothing. */
export async function planMigrateDns(
  client: FornexClient,
  rawInput: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<RecipePlan> {
  const input = parseRecipeInput(migrateDns, rawInput);
  const search = {
    fromValue: input.fromValue,
    toValue: input.toValue,
    domains: input.domains ?? null,
    types: input.types,
  };
  const domains = await findDomains(client, search, options.signal);
  const { changes } = await backupAndPlan(client, { ...search, domains }, options.signal);
  const warnings =
    changes.length === 0 ? [`no ${input.types.join('/')} record holds ${input.fromValue}: nothing to do`] : [];
  return {
    recipeId: migrateDns.id,
    input,
    summary: `change ${changes.length} record(s) in ${domains.length} domain(s) from ${input.fromValue} to ${input.toValue}`,
    actions: [
      ...domains.map((domain) => ({
        action: 'back up',
        target: domain,
        detail: 'records and zone file, into the run',
      })),
      ...changes.map((c) => ({
        action: 'update record',
        target: recordLabel(c.domain, c.record),
        detail: `${c.from} -> ${c.to}`,
      })),
      ...(changes.length
        ? [
            {
              action: 'post-check',
              target: domains.join(', '),
              detail: 'records and zone files; roll back on any difference',
            },
          ]
        : []),
    ],
    warnings,
  };
}
