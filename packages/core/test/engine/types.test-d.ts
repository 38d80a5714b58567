// Compile-time checks of recipe and engine typing: `tsc -p tsconfig.json` (npm run typecheck)
// verifies every `@ts-expect-error` below still is an error and every `expectTypeOf` holds.
// Nothing here runs: vitest does not collect `.test-d.ts` files.
import { sqliteStore } from '@fornex-flow/sqlite';
import { expectTypeOf } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import {
  createEngine,
  createFornexClient,
  defineRecipe,
  defineStep,
  type Engine,
  type FornexClient,
  type RunHandle,
  stepActor,
} from '../../src/index.js';

const input = z.object({ domain: z.string(), hosts: z.array(z.string()).min(1), ttl: z.number().default(3600) });
type Input = z.infer<typeof input>;
type AddInput = { domain: string; host: string };
type Context = Input & { i: number; ids: number[] };

const machine = setup({
  types: { input: {} as Input, context: {} as Context, output: {} as { ids: number[] } },
  actors: { addRecord: stepActor<number, AddInput>(), check: stepActor<boolean, { domain: string }>() },
}).createMachine({
  context: ({ input }) => ({ ...input, i: 0, ids: [] }),
  initial: 'adding',
  states: {
    adding: {
      invoke: {
        src: 'addRecord',
        input: ({ context }) => ({ domain: context.domain, host: context.hosts[context.i] ?? '' }),
        onDone: {
          target: 'checking',
          actions: assign({
            ids: ({ context, event }) => {
              // The step's output type reaches onDone.
              expectTypeOf(event.output).toEqualTypeOf<number>();
              return [...context.ids, event.output];
            },
          }),
        },
      },
    },
    checking: { invoke: { src: 'check', input: ({ context }) => ({ domain: context.domain }), onDone: 'done' } },
    done: { type: 'final' },
  },
  output: ({ context }) => ({ ids: context.ids }),
});

const base = { id: 'add-records', version: 1, description: 'adds records', input, machine } as const;

export const recipe = defineRecipe({
  ...base,
  steps: {
    addRecord: {
      run: async (ctx) => {
        expectTypeOf(ctx.input).toEqualTypeOf<AddInput>();
        expectTypeOf(ctx.client).toEqualTypeOf<FornexClient>();
        expectTypeOf(ctx.context).toEqualTypeOf<Context>();
        // @ts-expect-error: a typo in a client method is caught
        await ctx.client.vps.restrt('34-1');
        // @ts-expect-error: not a field of the step's input
        void ctx.input.hostname;
        const added = await ctx.client.dns.records.add(ctx.input.domain, {
          host: ctx.input.host,
          type: 'A',
          value: '192.0.2.1',
        });
        return added.pk;
      },
      reconcile: async ({ input, client }) => {
        expectTypeOf(input).toEqualTypeOf<AddInput>();
        const { entry_set } = await client.dns.records.list(input.domain);
        const found = entry_set.find((record) => record.host === input.host);
        return found ? { done: true, output: found.id } : { done: false };
      },
    },
    check: { idempotent: true, run: ({ input }) => input.domain.length > 0 },
  },
});

expectTypeOf(recipe.id).toEqualTypeOf<'add-records'>();

export function stepOutputsAreChecked(): void {
  defineRecipe({
    ...base,
    steps: {
      // @ts-expect-error: addRecord's output is a number, not a string
      addRecord: { run: () => 'not a number' },
      check: { run: () => true },
    },
  });
  defineRecipe({
    ...base,
    steps: {
      addRecord: {
        run: () => 1,
        // @ts-expect-error: reconcile's output must be the step's output type too
        reconcile: () => ({ done: true, output: 'x' }),
      },
      check: { run: () => true },
    },
  });
}

export function stepsMustMatchTheMachine(): void {
  // @ts-expect-error: a missing step (check) is a compile error
  defineRecipe({ ...base, steps: { addRecord: { run: () => 1 } } });
  defineRecipe({
    ...base,
    // @ts-expect-error: a step the machine does not declare is a compile error
    steps: { addRecord: { run: () => 1 }, check: { run: () => true }, extra: { run: () => 1 } },
  });
}

export function theMachineInputMustAcceptTheSchema(): void {
  defineRecipe({
    ...base,
    input: z.object({ domain: z.string() }),
    steps: { addRecord: { run: () => 1 }, check: { run: () => true } },
    // @ts-expect-error: the schema's output lacks hosts and ttl, which the machine's input needs
    machine,
  });
}

export function stepsDefinedApartAreTyped(): void {
  defineStep<{ orderId: string }, { ok: boolean }>({
    run: async ({ input, client }) => {
      expectTypeOf(client).toEqualTypeOf<FornexClient>();
      // @ts-expect-error: a typo in a client method is caught in a step defined apart too
      await client.vps.restrt(input.orderId);
      return client.vps.restart(input.orderId);
    },
  });
}

export async function startIsCheckedAgainstTheRecipes(): Promise<void> {
  const client = createFornexClient({ apiKey: 'k' });
  const engine = createEngine({ store: sqliteStore({ path: ':memory:' }), client, recipes: [recipe] });
  const run = await engine.start('add-records', { domain: 'example.com', hosts: ['www'] });
  expectTypeOf(run).toEqualTypeOf<RunHandle<{ ids: number[] }>>();
  expectTypeOf(await run.result()).toEqualTypeOf<{ ids: number[] }>();
  // @ts-expect-error: an unknown recipe id
  await engine.start('add-recrods', { domain: 'example.com', hosts: ['www'] });
  // @ts-expect-error: a missing input field
  await engine.start('add-records', { domain: 'example.com' });
  // @ts-expect-error: a misspelled input field
  await engine.start('add-records', { domain: 'example.com', hosts: ['www'], ttll: 60 });
  // @ts-expect-error: a recipe whose steps use the Fornex client needs an engine that has one
  createEngine({ store: sqliteStore({ path: ':memory:' }), recipes: [recipe] });

  // register() keeps working on an untyped engine, and returns the same engine typed.
  const untyped = createEngine({ store: sqliteStore({ path: ':memory:' }), client });
  await untyped.start('anything', { at: 'all' });
  const typed = untyped.register(recipe);
  await typed.start('add-records', { domain: 'example.com', hosts: ['www'], ttl: 60 });
  // @ts-expect-error: once typed, unknown ids are errors
  await typed.start('anything', {});
  // A typed engine goes wherever an untyped one is expected (helpers, listeners).
  const asUntyped: Engine = typed;
  void asUntyped;
}
