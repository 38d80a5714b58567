import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { createFakeClock, defineRecipe, type Engine, stepActor } from '../../src/engine/index.js';
import { makeEngine, tempDbPath } from './helpers.js';

// The world the steps act on: how many times each (run, index) effect happened.
const world = new Map<string, number>();

/** N non-idempotent steps in a row; each records its index; reconcile looks the effect up in `world`. */
const chain = defineRecipe({
  id: 'chain',
  version: 1,
  description: 'n effects in a row',
  input: z.object({ tag: z.string(), n: z.number().int().min(1) }),
  machine: setup({
    types: { input: {} as { tag: string; n: number }, context: {} as { tag: string; n: number; done: number[] } },
    actors: { effect: stepActor<number, { tag: string; i: number }>() },
  }).createMachine({
    context: ({ input }) => ({ ...input, done: [] }),
    initial: 'next',
    states: {
      next: {
        always: [
          { guard: ({ context }) => context.done.length >= context.n, target: 'finished' },
          { target: 'working' },
        ],
      },
      working: {
        invoke: {
          id: 'effect',
          src: 'effect',
          input: ({ context }) => ({ tag: context.tag, i: context.done.length }),
          onDone: {
            target: 'next',
            actions: assign({ done: ({ context, event }) => [...context.done, event.output] }),
          },
        },
      },
      finished: { type: 'final' },
    },
    output: ({ context }) => context.done,
  }),
  steps: {
    effect: {
      reconcile: ({ input }) => {
        const { tag, i } = input as { tag: string; i: number };
        return world.has(`${tag}:${i}`) ? { done: true, output: i } : { done: false };
      },
      run: async ({ input }) => {
        const { tag, i } = input as { tag: string; i: number };
        world.set(`${tag}:${i}`, (world.get(`${tag}:${i}`) ?? 0) + 1);
        await new Promise((resolve) => setImmediate(resolve));
        return i;
      },
    },
  },
});

let tagSeq = 0;

describe('property: restarts at any step never repeat an effect', () => {
  it('for any chain length and any set of restart points, each effect happens once and the output is whole', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 5 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 4 }), { maxLength: 3 }),
        async (n, restartAt) => {
          const tag = `p${tagSeq++}`;
          const dbPath = tempDbPath();
          const pending = new Set(restartAt.filter((i) => i < n));
          let engine: Engine | undefined;
          let runId: string | undefined;
          // One clock for all incarnations, as a restarted process shares the host's.
          const clock = createFakeClock(1_000_000);
          for (let incarnation = 0; incarnation <= restartAt.length + 1; incarnation++) {
            engine = makeEngine(dbPath, { clock }).engine;
            engine.register(chain);
            const current = engine;
            // "Crash" when a chosen step has just started: the engine closes while the effect runs.
            const crashed = new Promise<boolean>((resolve) => {
              current.on('step:started', (e) => {
                // The n-th visit of the one invoke is step n - 1 of the chain.
                const index = Number(e.stepKey.slice(e.stepKey.lastIndexOf('#') + 1)) - 1;
                if (!pending.delete(index)) return;
                void current.close().then(() => resolve(true));
              });
            });
            const handle = runId ? await current.resume(runId) : await current.start('chain', { tag, n });
            // A step the last incarnation left started waits until that attempt has settled: its
            // deadline (a quarter of the 30 s lease), as long again for a request already sent, and
            // 100 ms of clock skew: 15.1 s at most.
            if (runId) await clock.advance(15_100);
            runId = handle.runId;
            const finished = handle.result().then(
              () => false,
              () => true,
            );
            if (!(await Promise.race([crashed, finished]))) break;
          }
          const output = (await engine?.get(runId ?? ''))?.output;
          await engine?.close();
          expect(output).toEqual(Array.from({ length: n }, (_, i) => i));
          for (let i = 0; i < n; i++) expect(world.get(`${tag}:${i}`)).toBe(1);
        },
      ),
      { numRuns: 25 },
    );
  }, 30_000);
});
