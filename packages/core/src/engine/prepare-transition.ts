import type { AnyMachineSnapshot } from 'xstate';
import { activeInvokeIds, planActions } from './action-plan.js';
import type { Recipe } from './define-recipe.js';
import { EngineError, EngineErrorCode, serializeError } from './errors.js';
import type { TransitionAction } from './pure-transition.js';
import { type SecretVault, toRedactedJson } from './secrets.js';
import { toStoredSnapshot } from './snapshot-codec.js';
import { RunStatus, StepStatus, TimerKind } from './status.js';
import type { PendingStep } from './step-runner.js';
import type { HistoryRow, TimerRow, TransitionCommit } from './store/types.js';

/** What the run driver knows when it prepares a commit. */
export interface RunState {
  runId: string;
  owner: string;
  recipe: Recipe;
  vault: SecretVault;
  status: RunStatus;
  seq: number;
  pending: ReadonlyMap<string, PendingStep>;
  visits: ReadonlyMap<string, number>;
  nextTimerSeq(): number;
}

/** Where the event came from, for the history entry, and the step row it settles. */
export interface TransitionCause {
  historyType: string;
  historyPayload?: unknown;
  stepUpdate?: TransitionCommit['stepUpdate'];
  firedTimer?: string;
}

/** A transition ready to commit, and what to do in memory once it is committed. */
export interface PreparedTransition {
  next: AnyMachineSnapshot;
  commit: TransitionCommit;
  newSteps: PendingStep[];
  cancelled: PendingStep[];
  visits: Map<string, number>;
  timers: TimerRow[];
}

/** A commit that records an event without moving the machine (a retry scheduled, a retry timer fired, an engine error). */
export function bareCommit(
  run: Pick<RunState, 'runId' | 'owner' | 'status' | 'seq'>,
  atMs: number,
  history: Pick<HistoryRow, 'type' | 'payloadJson'>,
  extra: Partial<TransitionCommit> = {},
): TransitionCommit {
  const status = extra.status ?? run.status;
  return {
    runId: run.runId,
    owner: run.owner,
    atMs,
    status,
    previousStatus: run.status,
    history: { seq: run.seq + 1, atMs, ...history },
    newSteps: [],
    cancelledSteps: [],
    timersSet: [],
    timersCancelled: [],
    ...extra,
  };
}

function runStatusOf(next: AnyMachineSnapshot, openSteps: number): RunStatus {
  if (next.status === 'done') return RunStatus.Completed;
  if (next.status === 'error') return RunStatus.Failed;
  if (next.status === 'stopped') return RunStatus.Cancelled;
  return openSteps > 0 ? RunStatus.Running : RunStatus.Waiting;
}

/** Turns `[next, actions]` of a pure transition into the outbox commit (steps, timers, cancellations) and the new in-memory steps. */
export function prepareTransition(
  run: RunState,
  atMs: number,
  next: AnyMachineSnapshot,
  actions: readonly TransitionAction[],
  cause: TransitionCause,
): PreparedTransition {
  const plan = planActions(actions, run.runId, run.nextTimerSeq);
  const active = activeInvokeIds(next);
  const respawned = new Set(plan.steps.map((step) => step.invokeId));
  const cancelled = [...run.pending.values()].filter((p) => !active.has(p.invokeId) || respawned.has(p.invokeId));
  const visits = new Map<string, number>();
  const newSteps: PendingStep[] = plan.steps.map(({ invokeId, step, input }) => {
    const visit = (visits.get(invokeId) ?? run.visits.get(invokeId) ?? 0) + 1;
    visits.set(invokeId, visit);
    if (!Object.hasOwn(run.recipe.steps, step)) {
      const message = `run ${run.runId}: the machine invoked "${step}", which is not a step of ${run.recipe.key}`;
      throw new EngineError(EngineErrorCode.UnknownStep, message, { runId: run.runId });
    }
    const stepKey = `${invokeId}#${visit}`;
    return { stepKey, invokeId, step, input, status: StepStatus.Scheduled, attempt: 1, abort: new AbortController() };
  });
  const status = runStatusOf(next, run.pending.size - cancelled.length + newSteps.length);
  const redact = (value: unknown) => toRedactedJson(run.vault, value);
  const timers: TimerRow[] = plan.timers.map((t) => ({
    runId: run.runId,
    timerId: t.timerId,
    kind: TimerKind.Event,
    deadlineMs: atMs + t.delayMs,
    payloadJson: redact(t.event),
  }));
  const commit = bareCommit(
    run,
    atMs,
    { type: cause.historyType, payloadJson: redact(cause.historyPayload ?? null) },
    {
      status,
      snapshotJson: redact(toStoredSnapshot(next)),
      outputJson: status === RunStatus.Completed ? redact(next.output) : null,
      errorJson: status === RunStatus.Failed ? redact(serializeError(next.error)) : null,
      stepUpdate: cause.stepUpdate,
      newSteps: newSteps.map((p) => ({
        runId: run.runId,
        stepKey: p.stepKey,
        step: p.step,
        status: StepStatus.Scheduled,
        attempt: 1,
        inputJson: redact(p.input),
        outputJson: null,
        errorJson: null,
        updatedMs: atMs,
      })),
      cancelledSteps: cancelled.map((p) => p.stepKey),
      timersSet: timers,
      timersCancelled: [...plan.cancelledTimers, ...cancelled.flatMap((p) => (p.retryTimerId ? [p.retryTimerId] : []))],
      firedTimer: cause.firedTimer,
    },
  );
  return { next, commit, newSteps, cancelled, visits, timers };
}
