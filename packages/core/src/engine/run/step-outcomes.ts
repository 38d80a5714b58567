import type { EventObject } from 'xstate';
import type { EngineEventBus } from '../engine-events.js';
import { type SerializedError, serializeError } from '../errors.js';
import type { Recipe } from '../recipe/define-recipe.js';
import type { RunSecrets } from '../secrets/secrets.js';
import { StepStatus } from '../status.js';
import { nextRetry, resolveStepRetryPolicy } from '../steps/retry-policy.js';
import type { PendingStep } from '../steps/step-runner.js';
import type { TransitionCause } from './prepare-transition.js';

/** A transition's cause as the run driver commits it: what to do once committed, how durable it must be. */
export interface DriverCause extends TransitionCause {
  afterCommit?: () => void;
  /** The transition records the outcome of an idempotent step (see mayCommitAsync). */
  idempotentStep?: boolean;
}

/** The parts of a run a step's outcome is read against. */
export interface OutcomeRun {
  runId: string;
  recipe: Recipe;
  vault: RunSecrets;
  bus: EngineEventBus;
}

/** The machine's event for a step's outcome, and the cause its transition commits. */
export interface StepOutcome {
  event: EventObject;
  cause: DriverCause;
}

/** A failed attempt that its retry policy tries again, after `delayMs`. */
export interface StepRetry {
  retry: true;
  serialized: SerializedError;
  errorJson: string;
  delayMs: number;
}

/** The transition a step's success makes: `xstate.done.actor.<id>` with its output (a secret one sealed). */
export function stepSucceeded(run: OutcomeRun, step: PendingStep, output: unknown, replayed: boolean): StepOutcome {
  const { recipe, vault, bus } = run;
  if (recipe.steps[step.step]?.secretOutput) vault.addOutput(step.stepKey, output);
  const { stepKey, attempt } = step;
  const outputJson = vault.json(output);
  return {
    event: { type: `xstate.done.actor.${step.invokeId}`, output } as EventObject,
    cause: {
      idempotentStep: recipe.steps[step.step]?.idempotent === true,
      stepUpdate: { stepKey, status: StepStatus.Succeeded, attempt, outputJson, errorJson: null },
      historyType: 'step.succeeded',
      // JSON.stringify({ stepKey, replayed }), by hand: a third of the cost of stringifying the object.
      historyJson: `{"stepKey":${JSON.stringify(stepKey)},"replayed":${replayed}}`,
      afterCommit: () =>
        bus.listenerCount('step:succeeded') > 0 &&
        bus.emit('step:succeeded', {
          runId: run.runId,
          stepKey,
          step: step.step,
          attempt,
          output: vault.shown(output, outputJson),
          replayed,
        }),
    },
  };
}

/**
 * What a failed attempt leads to: a retry when the step's policy allows one, else the transition
 * `xstate.error.actor.<id>`. The error is redacted once, here: the events, the machine, the rows
 * and `result()` all get this copy.
 */
export function stepFailed(run: OutcomeRun, step: PendingStep, error: unknown): StepRetry | StepOutcome {
  const { recipe, vault, bus } = run;
  const { stepKey, attempt } = step;
  const serialized = vault.redactError(serializeError(error));
  const errorJson = vault.json(serialized);
  const decision = nextRetry(resolveStepRetryPolicy(recipe.steps[step.step]?.retry), attempt, error);
  if (decision.retry) return { retry: true, serialized, errorJson, delayMs: decision.delayMs };
  return {
    event: { type: `xstate.error.actor.${step.invokeId}`, error: serialized } as EventObject,
    cause: {
      idempotentStep: recipe.steps[step.step]?.idempotent === true,
      stepUpdate: { stepKey, status: StepStatus.Failed, attempt, outputJson: null, errorJson },
      historyType: 'step.failed',
      historyPayload: { stepKey, error: serialized },
      afterCommit: () =>
        bus.emit('step:failed', { runId: run.runId, stepKey, step: step.step, attempt, error: serialized }),
    },
  };
}
