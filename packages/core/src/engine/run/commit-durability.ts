import { RunStatus } from '../status.js';
import type { StepDefinition } from '../steps/step-definition.js';
import type { TransitionCommit } from '../store/types.js';

/**
 * True when a transition's commit may be acknowledged before it is on disk (a store's asynchronous
 * commit). The one place the engine decides it, for every store that can tell the two apart.
 *
 * Allowed only when nothing outside the store will act on the commit: the transition records the
 * outcome of an idempotent step, the run keeps running (no caller is told that it ended or waits,
 * no one can send it an event it now expects), it sets or cancels no timer, cancels no step, and
 * schedules only idempotent steps. Then losing it to a database server crash loses only
 * idempotent progress: the run resumes from its last durable transition and runs those steps
 * again, which their definition allows. Everything else waits for the disk: a run's creation,
 * external events, timers, run ends, a non-idempotent step's scheduling, `started` marker and
 * outcome. So the journal entry a `started` marker refers to is always durable before the marker
 * is written, and a store whose commits become durable in order (a write-ahead log) makes every
 * earlier asynchronous commit durable with each synchronous one.
 */
export function mayCommitAsync(
  commit: TransitionCommit,
  causedByIdempotentStep: boolean,
  steps: Readonly<Record<string, StepDefinition>>,
): boolean {
  if (
    !causedByIdempotentStep ||
    commit.status !== RunStatus.Running ||
    commit.timersSet.length > 0 ||
    commit.timersCancelled.length > 0 ||
    commit.cancelledSteps.length > 0
  )
    return false;
  for (const step of commit.newSteps) if (steps[step.step]?.idempotent !== true) return false;
  return true;
}
