import { CrashPoint, crashPoint } from './crash-points.js';
import type { ChildRuns, StepContext, StepDefinition } from './define-recipe.js';
import { EngineError, EngineErrorCode } from './errors.js';
import { StepStatus } from './status.js';

/** A step of a live run that has not finished: its outbox row, mirrored in memory. */
export interface PendingStep {
  stepKey: string;
  invokeId: string;
  step: string;
  input: unknown;
  status: StepStatus;
  attempt: number;
  abort: AbortController;
  /** Set while the step sleeps on a retry timer. */
  retryTimerId?: string;
}

/** How one attempt ended. `replayed` means the output came from `reconcile`, not from running the effect. */
export type AttemptOutcome =
  | { ok: true; output: unknown; replayed: boolean }
  | { ok: false; error: unknown }
  | { ok: 'lease-lost' };

/** What the runner needs from its run. */
export interface AttemptEnv {
  runId: string;
  definition: StepDefinition;
  machineContext: unknown;
  client: unknown;
  children: ChildRuns;
  /** Commits the `started` row; false when the lease is lost. */
  markStarted(attempt: number): Promise<boolean>;
  onStarted(attempt: number): void;
}

/**
 * Runs one attempt of a step, replay before execute: a step that may already have taken effect
 * (its row says `started`, or it is being retried) asks `reconcile` first; without one, a
 * non-idempotent step in doubt fails with STEP_IN_DOUBT rather than risk doing its effect twice.
 */
export async function runAttempt(pending: PendingStep, env: AttemptEnv): Promise<AttemptOutcome> {
  const { definition } = env;
  const ctx: StepContext = {
    input: pending.input,
    context: env.machineContext,
    client: env.client,
    signal: pending.abort.signal,
    attempt: pending.attempt,
    runId: env.runId,
    stepKey: pending.stepKey,
    children: env.children,
  };
  try {
    const inDoubt = pending.status === StepStatus.Started && !definition.idempotent;
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
      if (!(await env.markStarted(pending.attempt))) return { ok: 'lease-lost' };
      pending.status = StepStatus.Started;
    }
    env.onStarted(pending.attempt);
    const output = await definition.run(ctx);
    crashPoint(CrashPoint.AfterEffectBeforeRecord);
    return { ok: true, output, replayed: false };
  } catch (error) {
    return { ok: false, error };
  }
}
