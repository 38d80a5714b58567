import { type AnyStateMachine, fromPromise } from 'xstate';
import type { z } from 'zod';
import { EngineError, EngineErrorCode } from './errors.js';
import { rewriteInvokes } from './invoke-rewrite.js';
import type { StepRetryPolicy } from './retry-policy.js';

/** Child runs a step may start (fan-out); ids derive from the step's key, so a re-run step finds its children again. */
export interface ChildRuns {
  /** Starts (or finds) child number `index` of this step and returns its run id. */
  start(recipeId: string, input: unknown, options?: { index?: number }): Promise<string>;
  /** Starts (or finds) a child and waits for its output. */
  run(recipeId: string, input: unknown, options?: { index?: number }): Promise<unknown>;
}

/** What a step's `run` (and `reconcile`) receives. */
export interface StepContext<TInput = unknown, TClient = unknown> {
  /** The invoke's `input`, as the machine computed it. */
  input: TInput;
  /** The machine's context when the step was scheduled. */
  context: unknown;
  /** The engine's `client` option (e.g. a Fornex client), never persisted. */
  client: TClient;
  /** Aborted when the attempt passes its deadline (`timeoutMs`), the run is cancelled or leaves the invoking state, or the engine closes. */
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

/** One effectful step, invoked by the machine as `invoke: { src: '<step name>' }`. */
// biome-ignore lint/suspicious/noExplicitAny: `any` defaults let typed steps sit in one `steps` record (run's parameter is contravariant).
export interface StepDefinition<TInput = any, TOutput = unknown, TClient = any> {
  run(ctx: StepContext<TInput, TClient>): Promise<TOutput> | TOutput;
  /** Safe to run twice: a step interrupted mid-flight simply runs again. */
  idempotent?: boolean;
  /** For a step that is not idempotent: asks the world whether an interrupted attempt took effect. */
  reconcile?(ctx: StepContext<TInput, TClient>): Promise<ReconcileResult<TOutput>> | ReconcileResult<TOutput>;
  retry?: StepRetryPolicy;
  /** Deadline of each attempt, reconcile included: its `signal` is aborted and it fails with STEP_TIMEOUT (default: the engine's `stepTimeoutMs`). */ timeoutMs?: number;
  /** The output is a secret (a new password): delivered to listeners and `result()`, stored redacted. */
  secretOutput?: boolean;
}

/** A recipe as its author writes it. */
export interface RecipeDefinition<
  TSchema extends z.ZodType = z.ZodType,
  TMachine extends AnyStateMachine = AnyStateMachine,
> {
  id: string;
  version: number | string;
  description: string;
  input: TSchema;
  machine: TMachine;
  steps: Record<string, StepDefinition>;
  /** Top-level input fields stored redacted (resume in a new process must supply them again). */
  secretInput?: readonly (keyof z.infer<TSchema> & string)[];
}

/** A checked recipe, ready for `engine.register`. */
export interface Recipe<TSchema extends z.ZodType = z.ZodType, TMachine extends AnyStateMachine = AnyStateMachine>
  extends RecipeDefinition<TSchema, TMachine> {
  readonly version: string;
  /** `<id>@<version>`, the registry key. */
  readonly key: string;
}

/** Types a step for its invoke input and output (an identity function). */
// biome-ignore lint/suspicious/noExplicitAny: the client type is the caller's; `any` keeps the default usable everywhere.
export function defineStep<TInput = unknown, TOutput = unknown, TClient = any>(
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

/** Every string `src` the machine invokes, walking the state tree. */
export function invokedSources(machine: AnyStateMachine): Set<string> {
  const found = new Set<string>();
  const walk = (node: InvokeNode) => {
    for (const invoke of node.invoke ?? []) if (typeof invoke.src === 'string') found.add(invoke.src);
    for (const child of Object.values(node.states ?? {})) walk(child);
  };
  walk(machine.root as unknown as InvokeNode);
  return found;
}

/**
 * Checks and freezes a recipe: every invoked `src` must name a step.
 * @example defineRecipe({ id: 'add-dns', version: 1, description: '...', input: z.object({...}), machine, steps: { addRecord } })
 */
export function defineRecipe<TSchema extends z.ZodType, TMachine extends AnyStateMachine>(
  definition: RecipeDefinition<TSchema, TMachine>,
): Recipe<TSchema, TMachine> {
  const fail = (message: string) => {
    throw new EngineError(EngineErrorCode.InvalidRecipe, `recipe ${definition.id || '(no id)'}: ${message}`);
  };
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(definition.id ?? ''))
    fail('id must be a non-empty name of letters, digits, ".", "_" or "-"');
  const version = String(definition.version ?? '');
  if (version === '' || version.includes('@')) fail('version must be a non-empty number or string without "@"');
  for (const src of invokedSources(definition.machine)) {
    if (!Object.hasOwn(definition.steps, src)) fail(`the machine invokes "${src}", which is not in steps`);
  }
  // No invoke survives the rewrite, so the machine never needs an actor implementation for a step.
  const machine = rewriteInvokes(definition.machine) as TMachine;
  return Object.freeze({ ...definition, machine, version, key: `${definition.id}@${version}` });
}
