// Recipes shared by the engine benchmarks (bench/engine.mjs and its child processes).
import { defineRecipe } from '@fornex-flow/core';
import { setup } from 'xstate';
import { z } from 'zod';

/** Steps per run of the chain recipe. */
export const stepsPerRun = 10;

/** Ten invoked steps in a row, each doing nothing: the engine's cost per durable step. */
export function chainRecipe(id, idempotent) {
  const states = {};
  for (let i = 0; i < stepsPerRun; i++) {
    states[`s${i}`] = { invoke: { id: `s${i}`, src: 'noop', onDone: i + 1 < stepsPerRun ? `s${i + 1}` : 'done' } };
  }
  states.done = { type: 'final' };
  return defineRecipe({
    id,
    version: 1,
    description: 'ten no-op steps',
    input: z.object({}),
    machine: setup({}).createMachine({ id, initial: 's0', states }),
    steps: { noop: { idempotent, run: () => null } },
  });
}

/** One durable timer of `delayMs`, then done. */
export const sleeperRecipe = defineRecipe({
  id: 'sleeper',
  version: 1,
  description: 'sleeps on one durable timer',
  input: z.object({ delayMs: z.number() }),
  machine: setup({})
    .createMachine({
      id: 'sleeper',
      context: ({ input }) => ({ delayMs: input.delayMs }),
      initial: 'sleeping',
      states: { sleeping: { after: { wake: 'done' } }, done: { type: 'final' } },
    })
    .provide({ delays: { wake: ({ context }) => context.delayMs } }),
  steps: {},
});

/** One idempotent step that never settles: a run stays in flight until its process dies. */
export const hangRecipe = defineRecipe({
  id: 'hang',
  version: 1,
  description: 'one step that never ends',
  input: z.object({}),
  machine: setup({}).createMachine({
    id: 'hang',
    initial: 'working',
    states: { working: { invoke: { id: 'work', src: 'work', onDone: 'done' } }, done: { type: 'final' } },
  }),
  steps: { work: { idempotent: true, run: () => new Promise(() => {}) } },
});
