import { stepActor } from '@fornex-flow/core';
import { assign, setup } from 'xstate';
import { causeOf, describeError, type FailInput, failedState } from '../shared/fail-step.js';
import { countPoll, missedPoll, type PollState } from '../shared/polling.js';
import type { ResetRootPasswordInput } from './input.js';
import type { JobInput, ResetInput, ResetOutput } from './steps.js';

/** The run's state. The password sits here only redacted in the database (a secret step output). */
export interface ResetRootPasswordContext extends PollState {
  orderId: string;
  pollIntervalMs: number;
  timeoutMs: number;
  password: string | null;
  jobId: number | null;
  confirmed: boolean;
  failure: FailInput | null;
}

/** What a completed `reset-root-password` run returns. */
export interface ResetRootPasswordOutput {
  orderId: string;
  /** The new root password: in clear for the process that ran the reset, `[REDACTED]` when read back from the database. */
  password: string;
  jobId: number | null;
  /** True when `log_details` said the job completed; false when the API gave no job to ask about. */
  confirmed: boolean;
  warning?: string;
}

const unconfirmedWarning =
  'the API answered without a job id (resp_id), so the completion of the reset could not be confirmed';

/**
 * RESET_FAILED, saying so when the reset may have happened anyway: only a refusal (403, an `error`
 * answer, 503/429: the service did not take the call) proves it did not. A timeout, a dropped
 * connection, a 5xx or a reply that does not parse leave a new, unknown password possible.
 */
function resetFailure(orderId: string, error: unknown): FailInput {
  const { code, status } = (error ?? {}) as { code?: unknown; status?: unknown };
  const refused = code === 'auth' || code === 'api' || (code === 'http' && (status === 503 || status === 429));
  // STEP_IN_DOUBT's own sentence already says the engine cannot know.
  const doubt =
    refused || code === 'STEP_IN_DOUBT'
      ? ''
      : '; the password may have been reset anyway, to one nobody knows: run the recipe again to set one you know';
  return {
    code: 'RESET_FAILED',
    message: `root password reset of ${orderId} failed: ${describeError(error)}${doubt}`,
    ...causeOf(error),
  };
}

/**
 * passwd_reset -> (with a job id) poll log_details every `pollIntervalMs` until completed, failing
 * `timeoutMs` after the reset; (without one) complete at once with a warning.
 */
export const resetRootPasswordMachine = setup({
  types: {
    input: {} as ResetRootPasswordInput,
    context: {} as ResetRootPasswordContext,
    output: {} as ResetRootPasswordOutput,
  },
  actors: {
    resetPassword: stepActor<ResetOutput, ResetInput>(),
    jobStatus: stepActor<{ completed: boolean; jobState: string }, JobInput>(),
    fail: stepActor<never, FailInput>(),
  },
  delays: {
    pollInterval: ({ context }) => context.pollIntervalMs,
    timeout: ({ context }) => context.timeoutMs,
  },
}).createMachine({
  id: 'reset-root-password',
  context: ({ input }) => ({
    orderId: input.orderId,
    pollIntervalMs: input.pollIntervalMs,
    timeoutMs: input.timeoutMs,
    password: null,
    jobId: null,
    polls: 0,
    lastSeen: null,
    confirmed: false,
    failure: null,
  }),
  initial: 'resetting',
  states: {
    resetting: {
      invoke: {
        id: 'resetPassword',
        src: 'resetPassword',
        input: ({ context }) => ({ orderId: context.orderId }),
        onDone: [
          {
            guard: ({ event }) => event.output.jobId === null,
            target: 'unconfirmed',
            actions: assign({ password: ({ event }) => event.output.password }),
          },
          {
            target: 'confirming',
            actions: assign({
              password: ({ event }) => event.output.password,
              jobId: ({ event }) => event.output.jobId,
            }),
          },
        ],
        onError: {
          target: 'failed',
          actions: assign({ failure: ({ context, event }) => resetFailure(context.orderId, event.error) }),
        },
      },
    },
    confirming: {
      after: {
        timeout: {
          target: 'failed',
          actions: assign({
            failure: ({ context }) => ({
              code: 'TIMEOUT',
              message:
                `the root password job of ${context.orderId} did not complete within ${context.timeoutMs} ms ` +
                `(${context.polls} polls, last state: ${context.lastSeen ?? 'unknown'}); the new password is not confirmed`,
            }),
          }),
        },
      },
      initial: 'waiting',
      states: {
        waiting: { after: { pollInterval: 'checking' } },
        checking: {
          invoke: {
            id: 'jobStatus',
            src: 'jobStatus',
            input: ({ context }) => ({ orderId: context.orderId, jobId: context.jobId ?? 0 }),
            onDone: [
              {
                guard: ({ event }) => event.output.completed,
                target: '#reset-root-password.done',
                actions: assign({
                  polls: countPoll,
                  lastSeen: ({ event }) => event.output.jobState,
                  confirmed: true,
                }),
              },
              {
                target: 'waiting',
                actions: assign({
                  polls: countPoll,
                  lastSeen: ({ event }) => event.output.jobState,
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
      },
    },
    failed: failedState('reset-root-password'),
    unconfirmed: { type: 'final' },
    done: { type: 'final' },
  },
  output: ({ context }) => ({
    orderId: context.orderId,
    password: context.password ?? '',
    jobId: context.jobId,
    confirmed: context.confirmed,
    ...(context.confirmed ? {} : { warning: unconfirmedWarning }),
  }),
});
