import { stepActor } from '@fornex-flow/core';
import { assign, setup } from 'xstate';
import { causeOf, describeError, type FailInput, failedState } from '../shared/fail-step.js';
import { countPoll, missedPoll, type PollState } from '../shared/polling.js';
import { hardResetDelayMs, type SafeRebootInput } from './input.js';
import type { OrderStepInput } from './steps.js';

/** The run's state: the input's settings and what the polls saw. */
export interface SafeRebootContext extends PollState {
  orderId: string;
  pollIntervalMs: number;
  timeoutMs: number;
  hardResetAfterMs: number;
  hardReset: boolean;
  lastSeen: string | null;
  failure: FailInput | null;
}

/** What a completed `safe-reboot` run returns. */
export interface SafeRebootOutput {
  orderId: string;
  status: 'on';
  /** True when the server needed a hard reset to come back. */
  hardReset: boolean;
  /** Status polls made. */
  polls: number;
}

const orderOf = ({ context }: { context: SafeRebootContext }): OrderStepInput => ({ orderId: context.orderId });

/**
 * restart -> poll the status every `pollIntervalMs` until `on`; `hardResetAfterMs` after the
 * restart, if not back, hard_reset and keep polling; `timeoutMs` after the restart, fail. Every
 * wait is a durable timer (a named delay read from the context), never a sleep in a step.
 */
export const safeRebootMachine = setup({
  types: {
    input: {} as SafeRebootInput,
    context: {} as SafeRebootContext,
    output: {} as SafeRebootOutput,
  },
  actors: {
    restart: stepActor<{ restarted: true }, OrderStepInput>(),
    hardReset: stepActor<{ hardReset: true }, OrderStepInput>(),
    status: stepActor<{ status: string }, OrderStepInput>(),
    fail: stepActor<never, FailInput>(),
  },
  delays: {
    pollInterval: ({ context }) => context.pollIntervalMs,
    hardResetAfter: ({ context }) => context.hardResetAfterMs,
    timeout: ({ context }) => context.timeoutMs,
  },
}).createMachine({
  id: 'safe-reboot',
  context: ({ input }) => ({
    orderId: input.orderId,
    pollIntervalMs: input.pollIntervalMs,
    timeoutMs: input.timeoutMs,
    hardResetAfterMs: hardResetDelayMs(input),
    polls: 0,
    hardReset: false,
    lastSeen: null,
    failure: null,
  }),
  initial: 'restarting',
  states: {
    restarting: {
      invoke: {
        id: 'restart',
        src: 'restart',
        input: orderOf,
        onDone: 'recovering',
        onError: {
          target: 'failed',
          actions: assign({
            failure: ({ context, event }) => ({
              code: 'RESTART_REFUSED',
              message: `restart of ${context.orderId} failed: ${describeError(event.error)}`,
              ...causeOf(event.error),
            }),
          }),
        },
      },
    },
    recovering: {
      after: {
        hardResetAfter: { guard: ({ context }) => !context.hardReset, target: '.hardResetting' },
        timeout: {
          target: 'failed',
          actions: assign({
            failure: ({ context }) => ({
              code: 'TIMEOUT',
              message:
                `${context.orderId} was not back on within ${context.timeoutMs} ms of the restart` +
                `${context.hardReset ? ', even after a hard reset' : ''}; last status: ${context.lastSeen ?? 'unknown'}`,
            }),
          }),
        },
      },
      initial: 'waiting',
      states: {
        waiting: { after: { pollInterval: 'checking' } },
        checking: {
          invoke: {
            id: 'status',
            src: 'status',
            input: orderOf,
            onDone: [
              {
                guard: ({ event }) => event.output.status === 'on',
                target: '#safe-reboot.done',
                actions: assign({ polls: countPoll, lastSeen: 'on' }),
              },
              {
                target: 'waiting',
                actions: assign({
                  polls: countPoll,
                  lastSeen: ({ event }) => event.output.status,
                }),
              },
            ],
            onError: {
              target: 'waiting',
              actions: assign({
                polls: countPoll,
                lastSeen: missedPoll,
              }),
            },
          },
        },
        hardResetting: {
          invoke: {
            id: 'hardReset',
            src: 'hardReset',
            input: orderOf,
            onDone: { target: 'waiting', actions: assign({ hardReset: true }) },
            onError: {
              target: '#safe-reboot.failed',
              actions: assign({
                failure: ({ context, event }) => ({
                  code: 'HARD_RESET_REFUSED',
                  message: `${context.orderId} was not back after ${context.hardResetAfterMs} ms and its hard reset failed: ${describeError(event.error)}`,
                  ...causeOf(event.error),
                }),
              }),
            },
          },
        },
      },
    },
    failed: failedState('safe-reboot'),
    done: { type: 'final' },
  },
  output: ({ context }) => ({
    orderId: context.orderId,
    status: 'on' as const,
    hardReset: context.hardReset,
    polls: context.polls,
  }),
});
