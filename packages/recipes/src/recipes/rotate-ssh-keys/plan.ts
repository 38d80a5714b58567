import type { FornexClient } from '@fornex-flow/core';
import { type PlannedAction, parseRecipeInput, type RecipePlan } from '../shared/plan.js';
import { orderKeyIds } from './order-keys.js';
import { rotateSshKeys } from './recipe.js';
import { findKey, inspectAccount } from './steps.js';

/** The dry run of `rotate-ssh-keys`: reads the orders and their keys; changes nothing. */
export async function planRotateSshKeys(
  client: FornexClient,
  rawInput: unknown,
  options: { signal?: AbortSignal } = {},
): Promise<RecipePlan> {
  const input = parseRecipeInput(rotateSshKeys, rawInput);
  const { signal } = options;
  const replaceKeyId = input.replaceKeyId ?? null;
  const { targets, keyOrders } = await inspectAccount(client, { orders: input.orders, replaceKeyId }, signal);
  const existing = await findKey(client, input.publicKey, signal);
  const actions: PlannedAction[] = [];
  const warnings: string[] = [];
  if (existing) {
    if (existing.id === replaceKeyId)
      warnings.push(`the new key is the key it replaces (${replaceKeyId}): the run will fail`);
    actions.push({
      action: 'use key',
      target: 'account',
      detail: `already there as key ${existing.id} ("${existing.title}")`,
    });
  } else actions.push({ action: 'add key', target: 'account', detail: `"${input.title}"` });
  for (const orderId of targets) {
    const ids = await orderKeyIds(client, orderId, signal);
    if (!existing || !ids.has(existing.id))
      actions.push({ action: 'add key to order', target: orderId, detail: 'then verify it' });
    if (replaceKeyId !== null && ids.has(replaceKeyId))
      actions.push({
        action: 'remove replaced key from order',
        target: orderId,
        detail: `key ${replaceKeyId}, once the new one is verified`,
      });
  }
  if (replaceKeyId !== null && input.deleteReplaced) {
    const untargeted = keyOrders.filter((id) => !targets.includes(id));
    const holders: string[] = [];
    for (const orderId of untargeted)
      if ((await orderKeyIds(client, orderId, signal)).has(replaceKeyId)) holders.push(orderId);
    if (holders.length)
      warnings.push(`key ${replaceKeyId} stays on the account: untargeted orders hold it (${holders.join(', ')})`);
    else
      actions.push({
        action: 'delete key',
        target: 'account',
        detail: `key ${replaceKeyId}, once every order succeeded`,
      });
  }
  return {
    recipeId: rotateSshKeys.id,
    input,
    summary: `rotate ${targets.length} order(s) to the key "${input.title}"${replaceKeyId === null ? '' : `, replacing key ${replaceKeyId}`}, ${input.concurrency} at a time`,
    actions,
    warnings,
  };
}
