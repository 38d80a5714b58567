import type { FornexClient } from '@fornex-flow/core';
import { describeError } from '../shared/fail-step.js';

/** The order types that hold SSH keys. */
export const keyOrderTypes: readonly string[] = ['vps', 'dedicated'];

/** What happened on one order, as the run's report shows it. */
export interface OrderResult {
  orderId: string;
  /** True when the new key is verified on the order and the replaced one (if any) is gone from it. */
  ok: boolean;
  /** `added` by this run, already `present`, or `missing` (not verified). */
  newKey: 'added' | 'present' | 'missing';
  /** `removed` by this run, `absent` (not there), `kept` (left in place), or `none` (nothing replaced). */
  replacedKey: 'removed' | 'absent' | 'kept' | 'none';
  error?: string;
}

/** The key ids on an order now. */
export async function orderKeyIds(client: FornexClient, orderId: string, signal?: AbortSignal): Promise<Set<number>> {
  return new Set((await client.sshKeys.listForOrder(orderId, { signal })).map((key) => key.id));
}

/** One order's result, and the error behind a failure (to tell a transient one from a refusal). */
export interface OrderOutcome {
  result: OrderResult;
  error?: unknown;
}

/**
 * Rotates one order: add the new key unless it is there, read the order's keys again to verify it,
 * and only then remove the replaced key. Every effect follows a fresh read, so running it again
 * converges instead of repeating; a failure at any point leaves the replaced key where the new
 * one is not verified. Never throws: the failure is the order's result, with its error.
 */
export async function rotateOrder(
  client: FornexClient,
  orderId: string,
  keyId: number,
  replaceKeyId: number | null,
  signal?: AbortSignal,
): Promise<OrderOutcome> {
  const replaced = replaceKeyId === null ? ('none' as const) : ('kept' as const);
  let stage = 'reading its keys';
  let newKey: OrderResult['newKey'] = 'missing';
  try {
    let ids = await orderKeyIds(client, orderId, signal);
    if (ids.has(keyId)) newKey = 'present';
    else {
      stage = 'adding the new key';
      await client.sshKeys.addToOrder(orderId, keyId, { signal });
      stage = 'verifying the new key';
      ids = await orderKeyIds(client, orderId, signal);
      if (!ids.has(keyId)) {
        const error = 'the new key is not on the order after adding it';
        return { result: { orderId, ok: false, newKey, replacedKey: replaced, error } };
      }
      newKey = 'added';
    }
    if (replaceKeyId === null) return { result: { orderId, ok: true, newKey, replacedKey: 'none' } };
    if (!ids.has(replaceKeyId)) return { result: { orderId, ok: true, newKey, replacedKey: 'absent' } };
    stage = 'removing the replaced key';
    await client.sshKeys.deleteFromOrder(orderId, replaceKeyId, { signal });
    return { result: { orderId, ok: true, newKey, replacedKey: 'removed' } };
  } catch (error) {
    const text = `${stage}: ${describeError(error)}`;
    return { result: { orderId, ok: false, newKey, replacedKey: replaced, error: text }, error };
  }
}
