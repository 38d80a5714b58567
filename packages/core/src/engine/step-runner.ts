import type { ConcurrencyLimiter } from './concurrency.js';
import { CrashPoint, crashPoint } from './crash-points.js';
import type { ChildRuns, StepContext, StepDefinition } from './define-recipe.js';
import type { DriverDeps } from './driver-deps.js';
import { EngineError, EngineErrorCode } from './errors.js';
import type { LazyAbort } from './lazy-abort.js';
import { StepStatus } from './status.js';

/** A step of a live run that has not finished: its outbox row, mirrored in memory. */
export interface PendingStep {
  stepKey: string;
  invokeId: string;
  step: string;
  input: unknown;
  status: StepStatus;
  attempt: number;
  abort: LazyAbort;
  /** Set while the step sleeps on a retry timer. */
  retryTimerId?: string;
}

/** How one attempt ended. `replayed` means the output came from `reconcile`, not from running the effect. */
export type AttemptOutcome =
  | { ok: true; output: unknown; replayed: boolean }
  | { ok: false; error: unknown }
  | { ok: 'lease-lost' };

/** What the runner needs from its run: one object per run, shared by its steps (no closures per step). */
export interface AttemptEnv {
  runId: string;
  client: unknown;
  /** Asked on first use only: most steps never start child runs. */
  children(pending: PendingStep): ChildRuns;
  /** Commits the `started` row of `pending.attempt`; false when the lease is lost. */
  markStarted(pending: PendingStep): Promise<boolean>;
  onStarted(pending: PendingStep): void;
}

/** The attempt environment of one run (made once per run). */
export function createAttemptEnv(deps: DriverDeps, runId: string): AttemptEnv {
  return {
    runId,
    client: deps.client,
    children: (step) => deps.childRuns(runId, step.stepKey),
    markStarted: (step) =>
      deps.batcher.run({
        kind: 'started',
        runId,
        stepKey: step.stepKey,
        attempt: step.attempt,
        owner: deps.owner,
        atMs: deps.clock.now(),
      }),
    onStarted: (step) => {
      // The payload is built only when someone listens.
      if (deps.bus.listenerCount('step:started') > 0)
        deps.bus.emit('step:started', { runId, stepKey: step.stepKey, step: step.step, attempt: step.attempt });
    },
  };
}

// The context a step receives. `signal` and `children` are getters so that a step that never
// reads them costs no AbortController and no closures (see lazy-abort.ts). A class rather than an
// object literal with getters: V8 builds such a literal in the runtime, which was 5 % of a no-op
// step's cost; on the prototype, the getters cost nothing per step.
class AttemptContext implements StepContext<unknown, unknown> {
  readonly input: unknown;
  readonly client: unknown;
  readonly attempt: number;
  readonly runId: string;
  readonly stepKey: string;
  // Private (#) so that a step sees only the fields of StepContext.
  readonly #pending: PendingStep;
  readonly #env: AttemptEnv;
  #children: ChildRuns | undefined;

  constructor(
    pending: PendingStep,
    env: AttemptEnv,
    readonly context: unknown,
  ) {
    this.input = pending.input;
    this.client = env.client;
    this.attempt = pending.attempt;
    this.runId = env.runId;
    this.stepKey = pending.stepKey;
    this.#pending = pending;
    this.#env = env;
  }

  get signal(): AbortSignal {
    return this.#pending.abort.signal;
  }

  get children(): ChildRuns {
    this.#children ??= this.#env.children(this.#pending);
    return this.#children;
  }
}

const isThenable = (value: unknown): value is PromiseLike<unknown> =>
  typeof (value as PromiseLike<unknown> | null)?.then === 'function';

// Module-level rather than closures: one allocation less per step.
function effectDone(output: unknown): AttemptOutcome {
  crashPoint(CrashPoint.AfterEffectBeforeRecord);
  return { ok: true, output, replayed: false };
}

function effectFailed(error: unknown): AttemptOutcome {
  return { ok: false, error };
}

// The effect itself, once the step is cleared to run; synchronous when `run` returns a plain value.
function runEffect(
  pending: PendingStep,
  env: AttemptEnv,
  definition: StepDefinition,
  ctx: StepContext<unknown, unknown>,
): AttemptOutcome | Promise<AttemptOutcome> {
  env.onStarted(pending);
  const output = definition.run(ctx);
  if (!isThenable(output)) return effectDone(output);
  return Promise.resolve(output).then(effectDone, effectFailed);
}

/**
 * Runs one attempt of a step, replay before execute: a step that may already have taken effect
 * (its row says `started`, or it is being retried) asks `reconcile` first; without one, a
 * non-idempotent step in doubt fails with STEP_IN_DOUBT rather than risk doing its effect twice.
 *
 * The common case (an idempotent first attempt whose `run` returns a plain value) completes
 * synchronously, without the promises of the general path: they were a measurable part of a
 * no-op step's cost. Either way the outcome is the same, and `run` is never called twice.
 */
export function runAttempt(
  pending: PendingStep,
  definition: StepDefinition,
  machineContext: unknown,
  env: AttemptEnv,
): AttemptOutcome | Promise<AttemptOutcome> {
  const ctx = new AttemptContext(pending, env, machineContext);
  // An idempotent step is never in doubt; it only asks `reconcile` (if any) before a retry.
  if (definition.idempotent && !(definition.reconcile && pending.attempt > 1)) {
    try {
      crashPoint(CrashPoint.BeforeStepRecord);
      return runEffect(pending, env, definition, ctx);
    } catch (error) {
      return { ok: false, error };
    }
  }
  const inDoubt = pending.status === StepStatus.Started && !definition.idempotent;
  return runAttemptSlow(pending, env, definition, ctx, inDoubt);
}

async function runAttemptSlow(
  pending: PendingStep,
  env: AttemptEnv,
  definition: StepDefinition,
  ctx: StepContext<unknown, unknown>,
  inDoubt: boolean,
): Promise<AttemptOutcome> {
  try {
    if (definition.reconcile && (inDoubt || pending.attempt > 1)) {
      const answer = await definition.reconcile(ctx);
      if (answer.done) return { ok: true, output: answer.output, replayed: true };
    } else if (inDoubt) {
      const message = `step ${pending.stepKey} of run ${env.runId} was interrupted after it started; it is not idempotent and has no reconcile, so the engine cannot know whether it took effect`;
      return { ok: false, error: new EngineError(EngineErrorCode.StepInDoubt, message, { runId: env.runId }) };
    }
    crashPoint(CrashPoint.BeforeStepRecord);
    // Idempotent steps skip the `started` commit: running them twice is harmless, and it halves their cost.
    if (!definition.idempotent) {
      if (!(await env.markStarted(pending))) return { ok: 'lease-lost' };
      pending.status = StepStatus.Started;
    }
    return await runEffect(pending, env, definition, ctx);
  } catch (error) {
    return { ok: false, error };
  }
}

/** What `executeStep` needs from the run that drives the step (one object per run). */
export interface StepHost {
  readonly limiter: ConcurrencyLimiter;
  readonly env: AttemptEnv;
  /** False once the step was cancelled or its run stopped: the attempt is skipped. */
  isCurrent(step: PendingStep): boolean;
  /** The machine's context as the attempt starts. */
  machineContext(): unknown;
  /** Takes the attempt's outcome; the limiter slot is already free. */
  settle(step: PendingStep, outcome: AttemptOutcome): void;
}

/**
 * Runs one attempt of `step` under the engine-wide concurrency limit. Synchronous while a slot is
 * free and the step's `run` returns a plain value: the promise hops of the general path were a
 * measurable share of a no-op step's cost.
 */
export function executeStep(step: PendingStep, definition: StepDefinition, host: StepHost): void {
  if (host.limiter.tryAcquire()) attemptHoldingSlot(step, definition, host);
  else void host.limiter.acquire().then(() => attemptHoldingSlot(step, definition, host));
}

// Holds a limiter slot until the attempt's outcome is known.
function attemptHoldingSlot(step: PendingStep, definition: StepDefinition, host: StepHost): void {
  if (!host.isCurrent(step)) {
    host.limiter.release();
    return;
  }
  let outcome: ReturnType<typeof runAttempt>;
  try {
    outcome = runAttempt(step, definition, host.machineContext(), host.env);
  } catch (error) {
    outcome = { ok: false, error };
  }
  if (outcome instanceof Promise) {
    void outcome.then(
      (result) => settled(step, result, host),
      (error: unknown) => settled(step, { ok: false, error }, host),
    );
  } else settled(step, outcome, host);
}

function settled(step: PendingStep, outcome: AttemptOutcome, host: StepHost): void {
  host.limiter.release();
  host.settle(step, outcome);
}
