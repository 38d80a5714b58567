import type { Clock } from '../clock.js';
import { CrashPoint, crashPoint } from '../crash-points.js';
import type { DriverDeps } from '../driver-deps.js';
import { EngineError, EngineErrorCode } from '../errors.js';
import type { ChildRuns, StepContext, StepDefinition } from '../recipe/define-recipe.js';
import { StepStatus } from '../status.js';
import type { ConcurrencyLimiter } from './concurrency.js';
import { LazyAbort } from './lazy-abort.js';
import { settleByDeadline, settledByMs, stepTimeoutError } from './step-deadline.js';

/** A step of a live run that has not finished: its outbox row, mirrored in memory. */
export interface PendingStep {
  stepKey: string;
  invokeId: string;
  step: string;
  input: unknown;
  status: StepStatus;
  attempt: number;
  /** The signal of the current attempt; an attempt that passes its deadline gets its own aborted, and the next a fresh one. */
  abort: LazyAbort;
  /** Set while the step sleeps on a retry timer. */
  retryTimerId?: string;
  /**
   * The deadline of an earlier attempt whose request may still land: another engine's (read from
   * its `started` marker after a takeover) or this engine's own, after it timed out.
   */
  lastDeadlineMs?: number;
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
  clock: Clock;
  /** The deadline of an attempt whose step sets no `timeoutMs`. */
  stepTimeoutMs: number;
  maxClockSkewMs: number;
  /**
   * Until when this engine certainly holds the run's lease: the expiry it wrote when it took the
   * lease or when a renewal last reached this run (no other engine takes a lease before it expires).
   */
  leaseUntilMs: number;
  /** Asked on first use only: most steps never start child runs. */
  children(pending: PendingStep): ChildRuns;
  /** Commits the `started` row of `pending.attempt` with its deadline; false when the lease is lost. */
  markStarted(pending: PendingStep, deadlineMs: number): Promise<boolean>;
  onStarted(pending: PendingStep): void;
}

/** The attempt environment of one run (made once per run). */
export function createAttemptEnv(deps: DriverDeps, runId: string): AttemptEnv {
  return {
    runId,
    client: deps.client,
    clock: deps.clock,
    stepTimeoutMs: deps.stepTimeoutMs,
    maxClockSkewMs: deps.maxClockSkewMs,
    leaseUntilMs: 0,
    children: (step) => deps.childRuns(runId, step.stepKey),
    markStarted: (step, deadlineMs) =>
      deps.batcher.run({
        kind: 'started',
        runId,
        stepKey: step.stepKey,
        attempt: step.attempt,
        owner: deps.owner,
        atMs: deps.clock.now(),
        deadlineMs,
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
  // This attempt's, kept: after a timeout the step's next attempt gets another one.
  readonly #abort: LazyAbort;
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
    this.#abort = pending.abort;
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
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

/** One attempt's deadline, and what aborting it needs. */
interface AttemptDeadline {
  pending: PendingStep;
  env: AttemptEnv;
  abort: LazyAbort;
  deadlineMs: number;
  timeoutMs: number;
}

// The attempt passed its deadline: abort its signal (ending its request) and fail it. Its request
// may still land for another `timeoutMs`: the step's next attempt waits for that (see executeStep),
// and gets a fresh signal.
function timedOut(attempt: AttemptDeadline): EngineError {
  const { pending, env, abort } = attempt;
  const error = stepTimeoutError(env.runId, pending.stepKey, pending.attempt, attempt.timeoutMs);
  if (pending.abort === abort) pending.abort = new LazyAbort();
  pending.lastDeadlineMs = attempt.deadlineMs;
  abort.abort(error);
  return error;
}

// A promise of the step's own (`run` or `reconcile`), held to the attempt's deadline.
function bounded<T>(work: PromiseLike<T>, attempt: AttemptDeadline): Promise<T> {
  return settleByDeadline(work, attempt.env.clock, attempt.deadlineMs, () => timedOut(attempt));
}

// The effect itself, once the step is cleared to run; synchronous when `run` returns a plain value
// (no timer then: such an attempt is over before anything could stall it).
function runEffect(
  pending: PendingStep,
  env: AttemptEnv,
  definition: StepDefinition,
  ctx: StepContext<unknown, unknown>,
  deadlineMs: number,
  timeoutMs: number,
): AttemptOutcome | Promise<AttemptOutcome> {
  env.onStarted(pending);
  const output = definition.run(ctx);
  if (!isThenable(output)) return effectDone(output);
  const attempt: AttemptDeadline = { pending, env, abort: pending.abort, deadlineMs, timeoutMs };
  return bounded(output, attempt).then(effectDone, effectFailed);
}

/**
 * Runs one attempt of a step, replay before execute: a step that may already have taken effect
 * (its row says `started`, or it is being retried) asks `reconcile` first; without one, a
 * non-idempotent step in doubt fails with STEP_IN_DOUBT rather than risk doing its effect twice.
 *
 * Every attempt has a deadline (`timeoutMs`, else the engine's `stepTimeoutMs`): its signal is
 * aborted, and it fails with STEP_TIMEOUT, when the deadline passes; no effect starts after it.
 * Before reconcile and run, the engine checks its lease: in memory when everything the attempt
 * can cause is over inside the lease this engine certainly holds (see `settledByMs`), otherwise by
 * committing the `started` marker with the deadline, which the store refuses once the lease is gone.
 *
 * The common case (an idempotent first attempt well inside the lease, whose `run` returns a plain
 * value) completes synchronously, without the promises or the timer of the general path: they
 * were a measurable part of a no-op step's cost. Either way the outcome is the same, and `run` is
 * never called twice.
 */
export function runAttempt(
  pending: PendingStep,
  definition: StepDefinition,
  machineContext: unknown,
  env: AttemptEnv,
): AttemptOutcome | Promise<AttemptOutcome> {
  const timeoutMs = definition.timeoutMs ?? env.stepTimeoutMs;
  const deadlineMs = env.clock.now() + timeoutMs;
  const ctx = new AttemptContext(pending, env, machineContext);
  const insideLease = settledByMs(deadlineMs, timeoutMs, env.maxClockSkewMs) <= env.leaseUntilMs;
  // An idempotent step is never in doubt; it only asks `reconcile` (if any) before a retry.
  if (definition.idempotent && insideLease && !(definition.reconcile && pending.attempt > 1)) {
    try {
      crashPoint(CrashPoint.BeforeStepRecord);
      return runEffect(pending, env, definition, ctx, deadlineMs, timeoutMs);
    } catch (error) {
      return { ok: false, error };
    }
  }
  const inDoubt = pending.status === StepStatus.Started && !definition.idempotent;
  const attempt: AttemptDeadline = { pending, env, abort: pending.abort, deadlineMs, timeoutMs };
  return runAttemptSlow(attempt, definition, ctx, inDoubt, !definition.idempotent || !insideLease);
}

async function runAttemptSlow(
  attempt: AttemptDeadline,
  definition: StepDefinition,
  ctx: StepContext<unknown, unknown>,
  inDoubt: boolean,
  needsMarker: boolean,
): Promise<AttemptOutcome> {
  const { pending, env, deadlineMs } = attempt;
  try {
    const { reconcile } = definition;
    if (inDoubt && !reconcile) {
      const message = `step ${pending.stepKey} of run ${env.runId} was interrupted after it started; it is not idempotent and has no reconcile, so the engine cannot know whether it took effect`;
      return { ok: false, error: new EngineError(EngineErrorCode.StepInDoubt, message, { runId: env.runId }) };
    }
    crashPoint(CrashPoint.BeforeStepRecord);
    // The lease check in the store. Idempotent steps skip this commit when the attempt is over
    // inside the lease: running them twice is harmless, and it halves their cost.
    if (needsMarker) {
      if (!(await env.markStarted(pending, deadlineMs))) return { ok: 'lease-lost' };
      pending.status = StepStatus.Started;
    }
    if (reconcile && (inDoubt || pending.attempt > 1)) {
      const answer = await bounded(Promise.resolve(reconcile(ctx)), attempt);
      if (answer.done) return { ok: true, output: answer.output, replayed: true };
    }
    // A stall since the check (a commit, a reconcile) must not start an effect past the deadline.
    if (env.clock.now() >= deadlineMs) return { ok: false, error: timedOut(attempt) };
    return await runEffect(pending, env, definition, ctx, deadlineMs, attempt.timeoutMs);
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
  if (step.lastDeadlineMs !== undefined) {
    const { env } = host;
    const timeoutMs = definition.timeoutMs ?? env.stepTimeoutMs;
    const waitMs = settledByMs(step.lastDeadlineMs, timeoutMs, env.maxClockSkewMs) - env.clock.now();
    if (waitMs > 0) {
      waitForEarlierAttempt(step, definition, host, waitMs);
      return;
    }
    step.lastDeadlineMs = undefined;
  }
  if (host.limiter.tryAcquire()) attemptHoldingSlot(step, definition, host);
  else void host.limiter.acquire().then(() => attemptHoldingSlot(step, definition, host));
}

// A step in doubt (taken over from another engine, or after its own attempt timed out): the
// earlier attempt's request may still land until `settledByMs`. Reconciling, re-running or giving
// up with STEP_IN_DOUBT before then could miss it. The wait holds no concurrency slot.
function waitForEarlierAttempt(step: PendingStep, definition: StepDefinition, host: StepHost, waitMs: number): void {
  const { clock } = host.env;
  const signal = step.abort.signal;
  const cancel = () => clock.clearTimeout(handle);
  const handle = clock.setTimeout(() => {
    signal.removeEventListener('abort', cancel);
    step.lastDeadlineMs = undefined;
    executeStep(step, definition, host);
  }, waitMs);
  // A step cancelled meanwhile (its run stopped, the engine closed) keeps no timer behind.
  signal.addEventListener('abort', cancel, { once: true });
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
