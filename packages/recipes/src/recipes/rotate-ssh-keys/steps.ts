import { defineStep, type FornexClient } from '@fornex-flow/core';
import { isTransientFailure, transientAttempts, transientRetry } from '../shared/retry.js';
import { keyMaterial } from './input.js';
import { keyOrderTypes, type OrderResult, orderKeyIds, rotateOrder } from './order-keys.js';

/** What `inspect` checks. */
export interface InspectInput {
  orders: 'all' | string[];
  replaceKeyId: number | null;
}

/** The orders to rotate, and every order that holds keys (the account-wide delete touches them all). */
export interface InspectOutput {
  targets: string[];
  keyOrders: string[];
}

/** Resolves the targets and checks the replaced key exists: shared by the `inspect` step and the dry run. */
export async function inspectAccount(
  client: FornexClient,
  input: InspectInput,
  signal?: AbortSignal,
): Promise<InspectOutput> {
  const orders = await client.orders.list({ signal });
  const keyOrders = orders.filter((o) => keyOrderTypes.includes(o.type)).map((o) => o.id);
  if (input.orders !== 'all') {
    const unknown = input.orders.filter((id) => !keyOrders.includes(id));
    if (unknown.length) throw new Error(`not a VPS or dedicated server of this account: ${unknown.join(', ')}`);
  }
  if (input.replaceKeyId !== null) {
    const keys = await client.sshKeys.list({ signal });
    if (!keys.some((k) => k.id === input.replaceKeyId))
      throw new Error(`key ${input.replaceKeyId} (replaceKeyId) is not on the account`);
  }
  return { targets: input.orders === 'all' ? keyOrders : input.orders, keyOrders };
}

/** `inspect`: reads only. */
export const inspectStep = defineStep<InspectInput, InspectOutput, FornexClient>({
  idempotent: true,
  retry: transientRetry,
  run: ({ input, client, signal }) => inspectAccount(client, input, signal),
});

/** What `addKey` adds. */
export interface AddKeyInput {
  title: string;
  publicKey: string;
  replaceKeyId: number | null;
}

/** The new key's id, and whether this run created it. */
export interface AddKeyOutput {
  keyId: number;
  created: boolean;
}

/** The account key with the same type and blob, if any. */
export async function findKey(client: FornexClient, publicKey: string, signal?: AbortSignal) {
  const wanted = keyMaterial(publicKey);
  return (await client.sshKeys.list({ signal })).find((k) => keyMaterial(k.key) === wanted);
}

function checked(output: AddKeyOutput, input: AddKeyInput): AddKeyOutput {
  if (output.keyId === input.replaceKeyId)
    throw new Error(`the new key is the key it replaces (${input.replaceKeyId}): nothing to rotate`);
  return output;
}

/**
 * `addKey`: the new key on the account, found by its key text if already there. Not idempotent
 * (a second add is refused as a duplicate): reconcile looks for the key text.
 */
export const addKeyStep = defineStep<AddKeyInput, AddKeyOutput, FornexClient>({
  retry: transientRetry,
  reconcile: async ({ input, client, signal }) => {
    const found = await findKey(client, input.publicKey, signal);
    return found ? { done: true, output: checked({ keyId: found.id, created: true }, input) } : { done: false };
  },
  run: async ({ input, client, signal }) => {
    const found = await findKey(client, input.publicKey, signal);
    if (found) return checked({ keyId: found.id, created: false }, input);
    const added = await client.sshKeys.add({ title: input.title, key: input.publicKey }, { signal });
    return checked({ keyId: added.id, created: true }, input);
  },
});

/** One batch of orders (at most `concurrency`), rotated at once. */
export interface BatchInput {
  orders: string[];
  keyId: number;
  replaceKeyId: number | null;
}

/**
 * `rotateBatch`: rotates each order of the batch (see rotateOrder). Its effects are guarded by
 * reads, but it is not declared idempotent: after an interruption, reconcile asks each order
 * whether it already is in its end state, and only an unfinished batch runs again. An order that
 * failed for a transient reason (a 5xx, a broken connection) fails the attempt, so the engine
 * retries the batch (reconciled first); the last attempt reports every order as it ended.
 */
export const rotateBatchStep = defineStep<BatchInput, OrderResult[], FornexClient>({
  retry: transientRetry,
  reconcile: async ({ input, client, signal }) => {
    const results: OrderResult[] = [];
    for (const orderId of input.orders) {
      const ids = await orderKeyIds(client, orderId, signal);
      const replacedGone = input.replaceKeyId === null || !ids.has(input.replaceKeyId);
      if (!ids.has(input.keyId) || !replacedGone) return { done: false };
      results.push({
        orderId,
        ok: true,
        newKey: 'present',
        replacedKey: input.replaceKeyId === null ? 'none' : 'absent',
      });
    }
    return { done: true, output: results };
  },
  run: async ({ input, client, signal, attempt }) => {
    // Every order runs to its end before the batch decides: no call is left in flight behind a retry.
    const outcomes = await Promise.all(
      input.orders.map((orderId) => rotateOrder(client, orderId, input.keyId, input.replaceKeyId, signal)),
    );
    // A cut-off batch must not report its aborted calls as the orders' failures.
    signal.throwIfAborted();
    const transient = outcomes.find((outcome) => outcome.error !== undefined && isTransientFailure(outcome.error));
    if (transient && attempt < transientAttempts) throw transient.error;
    return outcomes.map((outcome) => outcome.result);
  },
});

/** What `deleteReplaced` deletes, and the orders it must not strip. */
export interface DeleteReplacedInput {
  replaceKeyId: number;
  /** Orders holding keys that the run did not target: the account-wide delete would remove the key there too. */
  untargeted: string[];
}

/** Whether the replaced key left the account, or the untargeted orders that still hold it. */
export interface DeleteReplacedOutput {
  deleted: boolean;
  keptFor: string[];
}

/**
 * `deleteReplaced`: deletes the replaced key from the account (which removes it from every order),
 * unless an order the run did not target still holds it. Reconcile: is the key gone already?
 */
export const deleteReplacedStep = defineStep<DeleteReplacedInput, DeleteReplacedOutput, FornexClient>({
  retry: transientRetry,
  reconcile: async ({ input, client, signal }) => {
    const keys = await client.sshKeys.list({ signal });
    return keys.some((k) => k.id === input.replaceKeyId)
      ? { done: false }
      : { done: true, output: { deleted: true, keptFor: [] } };
  },
  run: async ({ input, client, signal }) => {
    const keptFor: string[] = [];
    for (const orderId of input.untargeted)
      if ((await orderKeyIds(client, orderId, signal)).has(input.replaceKeyId)) keptFor.push(orderId);
    if (keptFor.length) return { deleted: false, keptFor };
    await client.sshKeys.delete(input.replaceKeyId, { signal });
    return { deleted: true, keptFor };
  },
});
