import fs from 'node:fs';
import { defineRecipe, defineStep, type FornexClient, stepActor } from '@fornex-flow/core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { createTestKit } from './create-test-kit.js';

// Polls the status of an order `times` times, one poll per `everyMs` of durable timer.
const poller = defineRecipe({
  id: 'poller',
  version: 1,
  description: 'polls a VPS status on a durable timer',
  input: z.object({ times: z.number().int(), everyMs: z.number().int() }),
  machine: setup({
    types: {
      input: {} as { times: number; everyMs: number },
      context: {} as { times: number; everyMs: number; seen: string[] },
      output: {} as string[],
    },
    actors: { poll: stepActor<string, { orderId: string }>() },
    delays: { every: ({ context }) => context.everyMs },
  }).createMachine({
    context: ({ input }) => ({ ...input, seen: [] }),
    initial: 'waiting',
    states: {
      waiting: {
        always: { guard: ({ context }) => context.seen.length >= context.times, target: 'done' },
        after: { every: 'polling' },
      },
      polling: {
        invoke: {
          id: 'poll',
          src: 'poll',
          input: () => ({ orderId: '34-177054' }),
          onDone: {
            target: 'waiting',
            actions: assign({ seen: ({ context, event }) => [...context.seen, event.output] }),
          },
        },
      },
      done: { type: 'final' },
    },
    output: ({ context }) => context.seen,
  }),
  steps: {
    poll: defineStep<{ orderId: string }, string, FornexClient>({
      idempotent: true,
      run: async ({ input, client }) => (await client.vps.status(input.orderId)).status,
    }),
  },
});

describe('createTestKit', () => {
  it('drives the engine timers and the mock time with one clock, one timer at a time', async () => {
    const kit = await createTestKit({ recipes: [poller], mock: { powerDelayMs: 3_000 } });
    try {
      const startMs = kit.clock.now();
      await kit.client.vps.start('34-177054'); // settles to "on" after 3 s of mock time
      const run = await kit.engine.start('poller', { times: 5, everyMs: 1_000 });
      // The kit's engine is typed from its recipes: start's input and result()'s output.
      expectTypeOf(kit.engine.start).parameter(0).toEqualTypeOf<'poller'>();
      expectTypeOf(run.result).returns.resolves.toEqualTypeOf<string[]>();
      await kit.advance(2_500);
      const polled = () => kit.mock.runtime.journal.list().filter((e) => e.path.startsWith('/api/vps/status/')).length;
      expect(polled()).toBe(2);
      await kit.advance(2_500);
      expect(polled()).toBe(5);
      // Each poll saw the mock at its own virtual time: starting for 3 s, then on.
      await expect(run.result()).resolves.toEqual(['starting', 'starting', 'on', 'on', 'on']);
      expect(kit.clock.now()).toBe(startMs + 5_000);
      const mockClock = (await (await fetch(`${kit.mock.url}/__mock/clock`)).json()) as { nowMs: number };
      expect(mockClock.nowMs).toBe(startMs + 5_000);
    } finally {
      await kit.close();
    }
  });

  it('finishes a run by moving from deadline to deadline, restarts onto the same file, and cleans up', async () => {
    const kit = await createTestKit({ recipes: [poller], dialect: 'ru' });
    const run = await kit.engine.start('poller', { times: 3, everyMs: 600_000 });
    await kit.advance(600_000);
    const first = kit.engine;
    await kit.restart();
    expect(kit.engine).not.toBe(first);
    await expect(kit.finish(run.runId)).resolves.toEqual({ status: 'completed', output: ['off', 'off', 'off'] });
    expect((await kit.engine.get(run.runId))?.status).toBe('completed');
    await kit.close();
    expect(fs.existsSync(kit.dbPath)).toBe(false);
  });

  it('says which run is stuck when no timer can end it', async () => {
    const stuck = defineRecipe({
      id: 'stuck',
      version: 1,
      description: 'waits for an event that never comes',
      input: z.object({}),
      machine: setup({}).createMachine({
        initial: 'waiting',
        states: { waiting: { on: { GO: 'done' } }, done: { type: 'final' } },
      }),
      steps: {},
    });
    const kit = await createTestKit({ recipes: [stuck] });
    try {
      const run = await kit.engine.start('stuck', {});
      await expect(kit.finish(run, { maxMs: 60_000 })).rejects.toThrow(`run ${run.runId} is still waiting`);
    } finally {
      await kit.close();
    }
  });
});
