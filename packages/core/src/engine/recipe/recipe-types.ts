// Compile-time plumbing of recipes: what a machine's `setup({ actors })` says about its steps, and
// what a list of recipes says about `engine.start`. Types only: nothing here exists at run time.
import type { AnyStateMachine, ContextFrom, InputFrom, OutputFrom, StateMachine } from 'xstate';
import type { z } from 'zod';
import type { RegisteredClient, StepDefinition } from '../steps/step-definition.js';

/** The actors a machine declares in `setup({ actors })`, as xstate's union of `{ src, logic }`. */
export type MachineActors<TMachine> =
  // biome-ignore lint/suspicious/noExplicitAny: matching any StateMachine instance needs `any` in the other positions.
  TMachine extends StateMachine<any, any, any, infer TActor, any, any, any, any, any, any, any, any, any, any, any>
    ? TActor
    : never;

/**
 * The `steps` a machine needs: one per actor of its `setup({ actors })`, each typed by the actor's
 * input and output (`stepActor<Output, Input>()`). A missing step or one the machine does not
 * declare is a compile error; a machine made without `setup` gives no names to check (then
 * `defineRecipe` checks at run time).
 */
export type StepsOf<TMachine extends AnyStateMachine, TClient = RegisteredClient> = {
  // Keyed by `src` rather than remapped with `as`: TypeScript types the step literals from a plain mapped type only.
  [TSrc in MachineActors<TMachine>['src']]: StepFor<
    Extract<MachineActors<TMachine>, { src: TSrc }>['logic'],
    TClient,
    ContextFrom<TMachine>
  >;
};

/** The step that implements one actor logic (`stepActor<Output, Input>()`). */
export type StepFor<TLogic, TClient, TContext> = StepDefinition<
  InputFrom<TLogic>,
  OutputFrom<TLogic>,
  TClient,
  TContext
>;

/** Any checked recipe, whatever its id, input, machine and client. */
// biome-ignore lint/suspicious/noExplicitAny: the widest recipe, for lists of recipes of any shape.
export type AnyRecipe = Recipe<string, z.ZodType, AnyStateMachine, any>;

/** The recipe of `recipeId` among a union of recipes. */
export type RecipeById<TRecipe extends AnyRecipe, TId extends string> = Extract<TRecipe, { readonly id: TId }>;

/** True when the engine's recipes are not known at compile time (`register` on an untyped engine). */
type IsUntyped<TRecipe extends AnyRecipe> = string extends TRecipe['id'] ? true : false;

/** What `engine.start(recipeId, input)` accepts as input: the schema's input type (before defaults and transforms). */
export type StartInput<TRecipe extends AnyRecipe, TId extends string> =
  IsUntyped<TRecipe> extends true ? unknown : z.input<RecipeById<TRecipe, TId>['input']>;

/** What `run.result()` resolves to: the machine's `output`. */
export type RunOutput<TRecipe extends AnyRecipe, TId extends string> =
  IsUntyped<TRecipe> extends true ? unknown : OutputFrom<RecipeById<TRecipe, TId>['machine']>;

/** The recipes an engine knows after `register(...added)`. */
export type WithRecipes<TRecipe extends AnyRecipe, TAdded extends AnyRecipe> =
  IsUntyped<TRecipe> extends true ? TAdded : TRecipe | TAdded;

/**
 * Rejects, on the `machine` property, a machine whose input type does not accept what the input
 * schema produces (its `types: { input }` should be `z.infer<typeof schema>`).
 */
export type CheckMachineInput<TSchema extends z.ZodType, TMachine extends AnyStateMachine> = [
  z.output<TSchema>,
] extends [InputFrom<TMachine>]
  ? unknown
  : {
      machine: {
        'the machine input type must accept the input schema output': z.output<TSchema>;
        'machine input': InputFrom<TMachine>;
      };
    };

/**
 * A recipe as its author writes it. `steps` are typed from the machine's `setup({ actors })`
 * (`StepsOf`): each step's `ctx.input`, its output and `ctx.context` are the machine's.
 */
export interface RecipeDefinition<
  TId extends string = string,
  TSchema extends z.ZodType = z.ZodType,
  TMachine extends AnyStateMachine = AnyStateMachine,
  TClient = RegisteredClient,
> {
  id: TId;
  version: number | string;
  description: string;
  /** Validates `start()`'s input; the machine's `types.input` is `z.infer<typeof input>`. */
  input: TSchema;
  machine: TMachine;
  steps: StepsOf<TMachine, TClient>;
  /** Top-level input fields that are secrets: stored sealed with the engine's `secretKey`, or never stored (a new process must supply them again). */
  secretInput?: readonly (keyof z.infer<TSchema> & string)[];
}

/** A checked recipe, ready for `engine.register` (or `createEngine({ recipes })`). */
export interface Recipe<
  TId extends string = string,
  TSchema extends z.ZodType = z.ZodType,
  TMachine extends AnyStateMachine = AnyStateMachine,
  TClient = RegisteredClient,
> extends Readonly<Omit<RecipeDefinition<TId, TSchema, TMachine, TClient>, 'version'>> {
  readonly version: string;
  /** `<id>@<version>`, the registry key. */
  readonly key: string;
  /** The client type the steps were written for (types only, never set). */
  readonly __client?: (client: TClient) => void;
}
