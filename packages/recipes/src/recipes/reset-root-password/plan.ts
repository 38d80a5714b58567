import type { FornexClient } from '@fornex-flow/core';
import { parseRecipeInput, type RecipePlan } from '../shared/plan.js';
import { resetRootPassword } from './recipe.js';

/**
 * The dry run of `reset-root-password`: reads the order's status (which also proves the order is a
 * VPS of this account); changes nothing. `passwd_reset` itself cannot be previewed: it is the effect.
 */
export async function planResetRootPassword(
  client: FornexClient,
  rawInput: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<RecipePlan> {
  const input = parseRecipeInput(resetRootPassword, rawInput);
  const { status } = await client.vps.status(input.orderId, { signal: options.signal });
  return {
    recipeId: resetRootPassword.id,
    input,
    summary: `reset the root password of ${input.orderId} (now "${status}") and deliver the new one once`,
    actions: [
      { action: 'reset root password', target: input.orderId, detail: 'passwd_reset; the new password is a secret' },
      {
        action: 'poll job',
        target: input.orderId,
        detail: `log_details every ${input.pollIntervalMs} ms until completed; fail after ${input.timeoutMs} ms`,
      },
    ],
    warnings: [],
  };
}
