import { type AnyStateMachine, fromPromise } from 'xstate';
import type { z } from 'zod';
import { EngineError, EngineErrorCode } from './errors.js';
import { rewriteInvokes } from './invoke-rewrite.js';
import type { CheckMachineInput, RegisteredClient, StepsOf } from './recipe-types.js';
import type { StepRetryPolicy } from './retry-policy.js';

/** Child runs a step may start (fan-out); ids derive from the step's key, so a re-run step finds its children again. */
export interface ChildRuns {
  /** Starts (or finds) child number `index` of this step and returns its run id. */
  start(recipeId: string, input: unknown, options?: { index?: number }): Promise<string>;
  /** Starts (or finds) a child and waits for its output. */
  run(recipeId: string, input: unknown, options?: { index?: number }): Promise<unknown>;
}

/** What a step's `run` (and `reconcile`) receives. */
export interface StepContext<TInput = unknown, TClient = RegisteredClient, TContext = unknown> {
  /** The invoke's `input`, as the machine computed it. */
  input: TInput;
  /** The machine's context when the step was scheduled. */
  context: TContext;
  /** The engine's `client` option (a Fornex client unless `FlowRegister` says otherwise), never persisted. */
  client: TClient;
  /** Aborted when the run is cancelled, leaves the invoking state, or the engine closes. */
  signal: AbortSignal;
  /** 1 for the first attempt. */
  attempt: number;
  runId: string;
  /** Deterministic key of this step within the run: `<invoke id>#<visit>`. */
  stepKey: string;
  children: ChildRuns;
}

/** What `reconcile` answers: the effect happened (with the output to use), or it did not. */
export type ReconcileResult<TOutput> = { done: true; output: TOutput } | { done: false };

/**
 * One effectful step, invoked by the machine as `invoke: { src: '<step name>' }`. In a recipe its
 * types come from the machine (`StepsOf`); the `any` defaults are the engine's view of any step.
 */
// biome-ignore lint/suspicious/noExplicitAny: `any` defaults let typed steps sit in one `steps` record (run's parameter is contravariant).
export interface StepDefinition<TInput = any, TOutput = unknown, TClient = any, TContext = any> {
  run(ctx: StepContext<TInput, TClient, TContext>): Promise<TOutput> | TOutput;
  /** Safe to run twice: a step interrupted mid-flight simply runs again. */
  idempotent?: boolean;
  /** For a step that is not idempotent: asks the world whether an interrupted attempt took effect. */
  reconcile?(ctx: StepContext<TInput, TClient, TContext>): Promise<ReconcileResult<TOutput>> | ReconcileResult<TOutput>;
  retry?: StepRetryPolicy;
  /** The output is a secret (a new password): delivered to listeners and `result()`, stored redacted. */
  secretOutput?: boolean;
}

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
  /** Top-level input fields stored redacted (resume in a new process must supply them again). */
  secretInput?: readonly (keyof z.infer<TSchema> & string)[];
}

/** A checked recipe, ready for `engine.register` (or `createEngine({ recipes })`). */
export interface Recipe<
  TId extends string = string,
  TSchema extends z.ZodType = z.ZodType,
  TMachine extends AnyStateMachine = AnyStateMachine,
  TClient = RegisteredClient,
> {
  readonly id: TId;
  readonly version: string;
  /** `<id>@<version>`, the registry key. */
  readonly key: string;
  readonly description: string;
  readonly input: TSchema;
  readonly machine: TMachine;
  readonly steps: StepsOf<TMachine, TClient>;
  readonly secretInput?: readonly (keyof z.infer<TSchema> & string)[];
  /** The client type the steps were written for (types only, never set). */
  readonly __client?: (client: TClient) => void;
}

/** Types a step written apart from its recipe by its invoke input and output (an identity function). */
export function defineStep<TInput = unknown, TOutput = unknown, TClient = RegisteredClient>(
  step: StepDefinition<TInput, TOutput, TClient>,
): StepDefinition<TInput, TOutput, TClient> {
  return step;
}

/** A typed placeholder for `setup({ actors })`: the engine runs the step named like the actor, never this. */
export function stepActor<TOutput = unknown, TInput = unknown>() {
  return fromPromise<TOutput, TInput>(() => new Promise<TOutput>(() => {}));
}

interface InvokeNode {
  invoke?: { id: string; src: unknown }[];
  states?: Record<string, InvokeNode>;
}

// The sources of machines `defineRecipe` rewrote (their invokes are gone), so that a recipe can be
// redefined from another (`defineRecipe({ ...v1, version: 2 })`) and still be checked.
const rewrittenSources = new WeakMap<AnyStateMachine, Set<string>>();

/** Every string `src` the machine invokes, walking the state tree. */
export function invokedSources(machine: AnyStateMachine): Set<string> {
  const known = rewrittenSources.get(machine);
  if (known) return known;
  const found = new Set<string>();
  const walk = (node: InvokeNode) => {
    for (const invoke of node.invoke ?? []) if (typeof invoke.src === 'string') found.add(invoke.src);
    for (const child of Object.values(node.states ?? {})) walk(child);
  };
  walk(machine.root as unknown as InvokeNode);
  return found;
}

/**
 * Checks and freezes a recipe: every step the machine invokes is in `steps` and every step is
 * invoked (INVALID_RECIPE otherwise; with `setup({ actors })` a missing or undeclared step is
 * already a compile error, and a machine whose input type does not accept the schema's output too).
 * @example defineRecipe({ id: 'add-dns', version: 1, description: '...', input: z.object({...}), machine, steps: { addRecord } })
 */
export function defineRecipe<
  const TId extends string,
  TSchema extends z.ZodType,
  TMachine extends AnyStateMachine,
  TClient = RegisteredClient,
>(
  definition: RecipeDefinition<TId, TSchema, TMachine, TClient> & CheckMachineInput<TSchema, TMachine>,
): Recipe<TId, TSchema, TMachine, TClient> {
  const fail = (message: string): never => {
    throw new EngineError(EngineErrorCode.InvalidRecipe, `recipe ${definition.id || '(no id)'}: ${message}`);
  };
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(definition.id ?? ''))
    fail('id must be a non-empty name of letters, digits, ".", "_" or "-"');
  const version = String(definition.version ?? '');
  if (version === '' || version.includes('@')) fail('version must be a non-empty number or string without "@"');
  const steps = (definition.steps ?? {}) as Record<string, StepDefinition>;
  const invoked = invokedSources(definition.machine);
  for (const src of invoked) {
    if (!Object.hasOwn(steps, src)) fail(`the machine invokes "${src}", which is not in steps`);
  }
  for (const name of Object.keys(steps)) {
    if (!invoked.has(name)) fail(`step "${name}" is never invoked by the machine (remove it, or invoke it)`);
    if (typeof steps[name]?.run !== 'function') fail(`step "${name}" needs a run function`);
  }
  // No invoke survives the rewrite, so the machine never needs an actor implementation for a step.
  const machine = rewriteInvokes(definition.machine) as TMachine;
  rewrittenSources.set(machine, invoked);
  return Object.freeze({ ...definition, machine, version, key: `${definition.id}@${version}` });
}
