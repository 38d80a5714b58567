import { describe, expect, it } from 'vitest';
import { createMachine, setup } from 'xstate';
import { z } from 'zod';
import { EngineErrorCode } from '../errors.js';
import { defineRecipe, stepActor } from './define-recipe.js';

const input = z.object({ n: z.number() });
const twoSteps = setup({
  types: { input: {} as z.infer<typeof input>, context: {} as z.infer<typeof input> },
  actors: { used: stepActor<number, { n: number }>(), unused: stepActor<number, { n: number }>() },
}).createMachine({
  context: ({ input }) => input,
  initial: 'a',
  states: { a: { invoke: { src: 'used', input: ({ context }) => context, onDone: 'b' } }, b: { type: 'final' } },
});

const invalid = (fragment: string) =>
  expect.objectContaining({ code: EngineErrorCode.InvalidRecipe, message: expect.stringContaining(fragment) });

describe('defineRecipe', () => {
  it('refuses a step the machine never invokes (declared in setup, so the compiler cannot see it)', () => {
    expect(() =>
      defineRecipe({
        id: 'unused',
        version: 1,
        description: '',
        input,
        machine: twoSteps,
        steps: { used: { run: ({ input }) => input.n }, unused: { run: ({ input }) => input.n } },
      }),
    ).toThrow(invalid('step "unused" is never invoked'));
  });

  it('refuses a step without a run function, and a machine made without setup that invokes a missing step', () => {
    const { used } = { used: { idempotent: true } } as unknown as { used: { run: () => number } };
    expect(() =>
      defineRecipe({
        id: 'no-run',
        version: 1,
        description: '',
        input,
        machine: twoSteps,
        steps: { used, unused: { run: () => 1 } },
      }),
    ).toThrow(invalid('step "used" needs a run function'));
    const loose = createMachine({ initial: 'a', states: { a: { invoke: { src: 'missing' } } } });
    expect(() => defineRecipe({ id: 'loose', version: 1, description: '', input, machine: loose, steps: {} })).toThrow(
      invalid('invokes "missing", which is not in steps'),
    );
  });

  it('checks a recipe redefined from another one (its machine already rewritten) the same way', () => {
    const v1 = defineRecipe({
      id: 'redefined',
      version: 1,
      description: '',
      input,
      machine: setup({
        types: { input: {} as z.infer<typeof input>, context: {} as z.infer<typeof input> },
        actors: { used: stepActor<number, { n: number }>() },
      }).createMachine({
        context: ({ input }) => input,
        initial: 'a',
        states: { a: { invoke: { src: 'used', input: ({ context }) => context } } },
      }),
      steps: { used: { run: ({ input }) => input.n } },
    });
    const v2 = defineRecipe({ ...v1, version: 2 });
    expect(v2.key).toBe('redefined@2');
    expect(() => defineRecipe({ ...v1, version: 3, steps: {} as typeof v1.steps })).toThrow(
      invalid('invokes "used", which is not in steps'),
    );
    expect(() =>
      defineRecipe({ ...v1, version: 4, steps: { ...v1.steps, extra: { run: () => 1 } } as typeof v1.steps }),
    ).toThrow(invalid('step "extra" is never invoked'));
  });
});
