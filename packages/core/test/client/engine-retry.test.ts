// The client and the engine together: a step's retry policy re-runs a failed call only when the
// client's error says the failure is transient (`retryable`). Real mock, real engine on SQLite.
import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { isRetryableError, resolveStepRetryPolicy } from '../../src/engine/steps/retry-policy.js';
import { defineRecipe, type FornexClient, FornexError, type StepDefinition, stepActor } from '../../src/index.js';
import { makeEngine, tempDbPath } from '../engine/helpers.js';
import { addFaults, journal, useMock } from './helpers.js';

/** A one-step recipe whose output is the step's output, or the error it failed with. */
function callRecipe(step: StepDefinition<unknown, unknown, FornexClient>) {
  return defineRecipe({
    id: 'call',
    version: 1,
    description: 'one call of the client',
    input: z.object({}),
    machine: setup({
      types: { context: {} as { result?: unknown } },
      actors: { call: stepActor<unknown, Record<string, never>>() },
    }).createMachine({
      id: 'call',
      context: {},
      initial: 'calling',
      states: {
        calling: {
          invoke: {
            id: 'call',
            src: 'call',
            input: () => ({}),
            onDone: { target: 'done', actions: assign({ result: ({ event }) => ({ output: event.output }) }) },
            onError: { target: 'done', actions: assign({ result: ({ event }) => ({ error: event.error }) }) },
          },
        },
        done: { type: 'final' },
      },
      output: ({ context }) => context.result,
    }),
    steps: { call: step },
  });
}

const policy = resolveStepRetryPolicy({ maxAttempts: 5 });
const error = (code: FornexError['code'], status?: number) =>
  new FornexError('x', { code, endpointId: 'account.balance', method: 'GET', status });

describe('the engine reads FornexError.retryable', () => {
  it('retries a step after transient failures only', () => {
    const verdicts = [
      error('timeout'),
      error('network'),
      error('http', 503),
      error('http', 429),
      error('auth', 403),
      error('api', 200),
      error('api', 400),
      error('validation', 200),
      error('validation'),
      error('http', 404),
    ].map((e) => isRetryableError(policy, e));
    expect(verdicts).toEqual([true, true, true, true, false, false, false, false, false, false]);
  });
});

describe('client errors in engine steps', () => {
  const handle = useMock('en');

  async function runStep(client: FornexClient, call: (client: FornexClient) => Promise<unknown>) {
    const { engine, clock } = makeEngine(tempDbPath(), { client });
    engine.register(
      callRecipe({ retry: { maxAttempts: 3, initialIntervalMs: 10 }, run: ({ client }) => call(client) }),
    );
    const run = await engine.start('call', {});
    // Far past every backoff of the policy: whatever retries the engine schedules, fire.
    for (let i = 0; i < 3; i++) await clock.advance(1_000);
    const result = await run.result();
    const steps = await engine.steps(run.runId);
    await engine.close();
    return { result, steps };
  }

  it.each([
    ['an api error (an error field answered with 200)', (c: FornexClient) => c.vps.status('34-999999'), 'api'],
    ['a validation error (a response off the contract)', (c: FornexClient) => c.account.balance(), 'validation'],
  ])('does not retry %s, though the step allows 3 attempts', async (_what, call, code) => {
    await addFaults(handle.mock, { path: '/api/account/balance', body: { balance: 'x' } });
    const { result, steps } = await runStep(handle.client({ retry: false }), call);
    expect(result).toMatchObject({ error: { name: 'FornexError', code } });
    expect(steps).toMatchObject([{ status: 'failed', attempt: 1 }]);
    expect(await journal(handle.mock)).toHaveLength(1);
  });

  it('retries a 429 with an error field, a 4xx status marked retryable', async () => {
    await addFaults(handle.mock, {
      path: '/api/account/balance',
      status: 429,
      body: { error: 'Too many requests.' },
      times: 1,
    });
    const { result, steps } = await runStep(handle.client({ retry: false }), (c) => c.account.balance());
    expect(result).toEqual({ output: { balance: 91, currency: 'EUR' } });
    expect(steps).toMatchObject([{ status: 'succeeded', attempt: 2 }]);
    expect((await journal(handle.mock)).map((e) => e.status)).toEqual([429, 200]);
  });

  it('retries a 503 that the client itself did not (retries off)', async () => {
    await addFaults(handle.mock, { path: '/api/account/balance', status: 503, times: 1 });
    const { result, steps } = await runStep(handle.client({ retry: false }), (c) => c.account.balance());
    expect(result).toEqual({ output: { balance: 91, currency: 'EUR' } });
    expect(steps).toMatchObject([{ status: 'succeeded', attempt: 2 }]);
    expect((await journal(handle.mock)).map((e) => e.status)).toEqual([503, 200]);
  });
});
