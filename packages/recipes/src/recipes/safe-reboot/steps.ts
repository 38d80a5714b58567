import { defineStep, type FornexClient } from '@fornex-flow/core';
import { transientRetry } from '../shared/retry.js';

/** Input of every step of `safe-reboot`: the order. */
export interface OrderStepInput {
  orderId: string;
}

// The statuses the mock and the service report while a power action is under way.
const transitional = new Set(['restarting', 'starting', 'stopping']);

/**
 * `restart`: not idempotent (a second call reboots again). After an interruption, reconcile asks
 * for the status: a server still `restarting` took the call; one that is `on` may have rebooted
 * already or never, and is restarted again, which is the safe side for a recipe that promises a reboot.
 */
export const restartStep = defineStep<OrderStepInput, { restarted: true }, FornexClient>({
  retry: transientRetry,
  reconcile: async ({ input, client, signal }) => {
    const { status } = await client.vps.status(input.orderId, { signal });
    return transitional.has(status) ? { done: true, output: { restarted: true } } : { done: false };
  },
  run: async ({ input, client, signal }) => {
    await client.vps.restart(input.orderId, { signal });
    return { restarted: true };
  },
});

/** `hardReset`: like a power cut; reconciled like `restart`. */
export const hardResetStep = defineStep<OrderStepInput, { hardReset: true }, FornexClient>({
  retry: transientRetry,
  reconcile: async ({ input, client, signal }) => {
    const { status } = await client.vps.status(input.orderId, { signal });
    return transitional.has(status) ? { done: true, output: { hardReset: true } } : { done: false };
  },
  run: async ({ input, client, signal }) => {
    await client.vps.hardReset(input.orderId, { signal });
    return { hardReset: true };
  },
});

/** `status`: a read, idempotent; a failed read is one missed poll, not a failed run. */
export const statusStep = defineStep<OrderStepInput, { status: string }, FornexClient>({
  idempotent: true,
  run: async ({ input, client, signal }) => {
    const { status } = await client.vps.status(input.orderId, { signal });
    return { status };
  },
});
