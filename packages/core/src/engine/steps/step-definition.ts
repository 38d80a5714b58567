// What a step is, as its author writes it and as the engine runs it. Types only.
import type { FornexClient } from '../../client/create-fornex-client.js';
import type { StepRetryPolicy } from './retry-policy.js';

/**
 * Augment to change the type of `ctx.client` in every step (the default is `FornexClient`):
 * `declare module '@fornex-flow/core' { interface FlowRegister { client: MyClient } }`.
 */
// biome-ignore lint/suspicious/noEmptyInterface: an empty interface is what declaration merging extends.
export interface FlowRegister {}

/** The type of `ctx.client` in a step: `FlowRegister['client']` if augmented, else `FornexClient`. */
export type RegisteredClient = FlowRegister extends { client: infer TClient } ? TClient : FornexClient;

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
  /** Deadline of each attempt, reconcile included: `signal` aborts and the attempt fails with STEP_TIMEOUT (default: the engine's `stepTimeoutMs`). */
  timeoutMs?: number;
  /** The output is a secret (a new password): delivered to listeners and `result()`, stored sealed with the `secretKey`, or never stored. */
  secretOutput?: boolean;
}
