import type { FornexClient } from '@fornex-flow/core';
import { parseRecipeInput, type RecipePlan } from '../shared/plan.js';
import { hardResetDelayMs } from './input.js';
import { safeReboot } from './recipe.js';

/** The dry run of `safe-reboot`: reads the order's power status; changes nothing. */
export async function planSafeReboot(
  client: FornexClient,
  rawInput: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<RecipePlan> {
  const input = parseRecipeInput(safeReboot, rawInput);
  const { status } = await client.vps.status(input.orderId, { signal: options.signal });
  const warnings: string[] = [];
  if (status !== 'on') warnings.push(`${input.orderId} is "${status}" now: a restart will power it on`);
  const hardResetMs = hardResetDelayMs(input);
  return {
    recipeId: safeReboot.id,
    input,
    summary: `restart ${input.orderId} (now "${status}") and wait up to ${input.timeoutMs} ms for it to be back on`,
    actions: [
      { action: 'restart', target: input.orderId },
      { action: 'poll status', target: input.orderId, detail: `every ${input.pollIntervalMs} ms until "on"` },
      {
        action: 'hard reset',
        target: input.orderId,
        detail: `only if not back on ${hardResetMs} ms after the restart`,
      },
      { action: 'fail', target: input.orderId, detail: `if not back on ${input.timeoutMs} ms after the restart` },
    ],
    warnings,
  };
}
