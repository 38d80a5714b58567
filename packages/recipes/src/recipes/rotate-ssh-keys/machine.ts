import { stepActor } from '@fornex-flow/core';
import { assign, setup } from 'xstate';
import { causeOf, describeError, type FailInput, failedState } from '../shared/fail-step.js';
import type { RotateSshKeysInput } from './input.js';
import type { OrderResult } from './order-keys.js';
import type {
  AddKeyInput,
  AddKeyOutput,
  BatchInput,
  DeleteReplacedInput,
  DeleteReplacedOutput,
  InspectInput,
  InspectOutput,
} from './steps.js';

/** The run's state. */
export interface RotateSshKeysContext {
  title: string;
  publicKey: string;
  replaceKeyId: number | null;
  orders: 'all' | string[];
  concurrency: number;
  deleteReplaced: boolean;
  targets: string[];
  keyOrders: string[];
  keyId: number | null;
  keyCreated: boolean;
  /** Targets handled so far (the first `next` of `targets`). */
  next: number;
  results: OrderResult[];
  replaced: DeleteReplacedOutput | null;
  failure: FailInput | null;
}

/** The per-order report a completed `rotate-ssh-keys` run returns. */
export interface RotateSshKeysOutput {
  keyId: number;
  keyCreated: boolean;
  replacedKeyId: number | null;
  /** True when the replaced key was deleted from the account. */
  replacedKeyDeleted: boolean;
  /** Untargeted orders that still hold the replaced key (so it was kept on the account). */
  replacedKeyKeptFor: string[];
  orders: OrderResult[];
}

function partialFailure(context: RotateSshKeysContext): FailInput {
  const failed = context.results.filter((r) => !r.ok);
  const ok = context.results.filter((r) => r.ok).map((r) => r.orderId);
  const kept = context.replaceKeyId === null ? '' : `; key ${context.replaceKeyId} was kept on the account`;
  return {
    code: 'PARTIAL',
    message:
      `rotate-ssh-keys: ${failed.length} of ${context.results.length} orders failed${kept}. ` +
      `${failed.map((r) => `${r.orderId}: ${r.error} (new key ${r.newKey}, replaced key ${r.replacedKey})`).join('; ')}` +
      `${ok.length ? `. Rotated: ${ok.join(', ')}` : ''}`,
  };
}

const stepFailure = (code: string, what: string, error: unknown): FailInput => ({
  code,
  message: `rotate-ssh-keys: ${what}: ${describeError(error)}`,
  ...causeOf(error),
});

/**
 * inspect (targets, replaced key) -> the new key on the account -> the targets in batches of
 * `concurrency`, each order: add, verify, then remove the replaced key -> when every order
 * succeeded, delete the replaced key from the account -> the per-order report.
 */
export const rotateSshKeysMachine = setup({
  types: {
    input: {} as RotateSshKeysInput,
    context: {} as RotateSshKeysContext,
    output: {} as RotateSshKeysOutput,
  },
  actors: {
    inspect: stepActor<InspectOutput, InspectInput>(),
    addKey: stepActor<AddKeyOutput, AddKeyInput>(),
    rotateBatch: stepActor<OrderResult[], BatchInput>(),
    deleteReplaced: stepActor<DeleteReplacedOutput, DeleteReplacedInput>(),
    fail: stepActor<never, FailInput>(),
  },
}).createMachine({
  id: 'rotate-ssh-keys',
  context: ({ input }) => ({
    title: input.title,
    publicKey: input.publicKey,
    replaceKeyId: input.replaceKeyId ?? null,
    orders: input.orders,
    concurrency: input.concurrency,
    deleteReplaced: input.deleteReplaced,
    targets: [],
    keyOrders: [],
    keyId: null,
    keyCreated: false,
    next: 0,
    results: [],
    replaced: null,
    failure: null,
  }),
  initial: 'inspecting',
  states: {
    inspecting: {
      invoke: {
        id: 'inspect',
        src: 'inspect',
        input: ({ context }) => ({ orders: context.orders, replaceKeyId: context.replaceKeyId }),
        onDone: {
          target: 'addingKey',
          actions: assign({
            targets: ({ event }) => event.output.targets,
            keyOrders: ({ event }) => event.output.keyOrders,
          }),
        },
        onError: {
          target: 'failed',
          actions: assign({
            failure: ({ event }) => stepFailure('INSPECT_FAILED', 'nothing was changed', event.error),
          }),
        },
      },
    },
    addingKey: {
      invoke: {
        id: 'addKey',
        src: 'addKey',
        input: ({ context }) => ({
          title: context.title,
          publicKey: context.publicKey,
          replaceKeyId: context.replaceKeyId,
        }),
        onDone: {
          target: 'nextBatch',
          actions: assign({
            keyId: ({ event }) => event.output.keyId,
            keyCreated: ({ event }) => event.output.created,
          }),
        },
        onError: {
          target: 'failed',
          actions: assign({
            failure: ({ event }) =>
              stepFailure(
                'ADD_KEY_FAILED',
                'the new key could not be put on the account, no order was changed',
                event.error,
              ),
          }),
        },
      },
    },
    nextBatch: {
      always: [{ guard: ({ context }) => context.next >= context.targets.length, target: 'finishing' }, 'rotating'],
    },
    rotating: {
      invoke: {
        id: 'rotateBatch',
        src: 'rotateBatch',
        input: ({ context }) => ({
          orders: context.targets.slice(context.next, context.next + context.concurrency),
          keyId: context.keyId ?? 0,
          replaceKeyId: context.replaceKeyId,
        }),
        onDone: {
          target: 'nextBatch',
          actions: assign({
            results: ({ context, event }) => [...context.results, ...event.output],
            next: ({ context, event }) => context.next + event.output.length,
          }),
        },
        onError: {
          target: 'failed',
          actions: assign({
            failure: ({ event }) => stepFailure('ROTATION_FAILED', 'a batch of orders failed', event.error),
          }),
        },
      },
    },
    finishing: {
      always: [
        {
          guard: ({ context }) => context.results.some((r) => !r.ok),
          target: 'failed',
          actions: assign({ failure: ({ context }) => partialFailure(context) }),
        },
        { guard: ({ context }) => context.deleteReplaced && context.replaceKeyId !== null, target: 'deletingReplaced' },
        'done',
      ],
    },
    deletingReplaced: {
      invoke: {
        id: 'deleteReplaced',
        src: 'deleteReplaced',
        input: ({ context }) => ({
          replaceKeyId: context.replaceKeyId ?? 0,
          untargeted: context.keyOrders.filter((id) => !context.targets.includes(id)),
        }),
        onDone: { target: 'done', actions: assign({ replaced: ({ event }) => event.output }) },
        onError: {
          target: 'failed',
          actions: assign({
            failure: ({ event }) =>
              stepFailure(
                'DELETE_REPLACED_FAILED',
                'every order was rotated, but deleting the replaced key from the account failed',
                event.error,
              ),
          }),
        },
      },
    },
    failed: failedState('rotate-ssh-keys'),
    done: { type: 'final' },
  },
  output: ({ context }) => ({
    keyId: context.keyId ?? 0,
    keyCreated: context.keyCreated,
    replacedKeyId: context.replaceKeyId,
    replacedKeyDeleted: context.replaced?.deleted ?? false,
    replacedKeyKeptFor: context.replaced?.keptFor ?? [],
    orders: context.results,
  }),
});
