import type { AnyMachineSnapshot } from 'xstate';
import { EngineError, EngineErrorCode, serializeError } from '../errors.js';
import type { Recipe } from '../recipe/define-recipe.js';
import type { RunSecrets } from '../secrets/secrets.js';
import { RunStatus, StepStatus, TimerKind } from '../status.js';
import { LazyAbort } from '../steps/lazy-abort.js';
import type { PendingStep } from '../steps/step-runner.js';
import type { HistoryRow, TimerRow, TransitionCommit } from '../store/types.js';
import { type ActionPlan, activeInvokeIds, planActions, startedSteps } from './action-plan.js';
import type { TransitionAction } from './pure-transition.js';

/** What the run driver knows when it prepares a commit. */
export interface RunState {
  runId: string;
  owner: string;
  recipe: Recipe;
  vault: RunSecrets;
  status: RunStatus;
  seq: number;
  pending: ReadonlyMap<string, PendingStep>;
  visits: ReadonlyMap<string, number>;
}

/** Where the event came from, for the history entry, and the step row it settles. */
export interface TransitionCause {
  historyType: string;
  historyPayload?: unknown;
  /** The payload already as JSON, in place of `historyPayload` (the per-step path builds it by hand; it holds no values of the run). */
  historyJson?: string;
  stepUpdate?: TransitionCommit['stepUpdate'];
  firedTimer?: string;
}

/** A transition ready to commit, and what to do in memory once it is committed. */
export interface PreparedTransition {
  next: AnyMachineSnapshot;
  commit: TransitionCommit;
  newSteps: PendingStep[];
  cancelled: readonly PendingStep[];
  /** The visit number of each new step (same order as `newSteps`): an array, not a Map per transition. */
  visits: readonly number[];
  timers: readonly TimerRow[];
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

// Shared empties for the common case of a transition that cancels nothing and sets no timer:
// one allocation less each, per step (garbage collection was 18 % of the engine's profile).
const noSteps: readonly PendingStep[] = Object.freeze([]);
const noTimers: readonly TimerRow[] = Object.freeze([]);
const noKeys: readonly string[] = Object.freeze([]);

// The open steps the transition ends: their invoke's state was left, or the invoke was re-entered.
function cancelledSteps(run: RunState, next: AnyMachineSnapshot, plan: ActionPlan): readonly PendingStep[] {
  // Usually empty: the step whose result caused the transition already left `pending`.
  if (run.pending.size === 0) return noSteps;
  const active = activeInvokeIds(next);
  const cancelled: PendingStep[] = [];
  for (const p of run.pending.values()) {
    if (!active.has(p.invokeId) || plan.steps.some((step) => step.invokeId === p.invokeId)) cancelled.push(p);
  }
  return cancelled.length === 0 ? noSteps : cancelled;
}

/** Turns `[next, actions]` of a pure transition into the outbox commit (steps, timers, cancellations) and the new in-memory steps. */
export function prepareTransition(
  run: RunState,
  atMs: number,
  next: AnyMachineSnapshot,
  actions: readonly TransitionAction[],
  cause: TransitionCause,
): PreparedTransition {
  const plan = planActions(actions, run.runId, run.seq + 1);
  plan.steps = startedSteps(plan.steps, next);
  const cancelled = cancelledSteps(run, next, plan);
  const visits: number[] = [];
  // Only started steps count as visits (at most one per invoke and transition): the count is rebuilt
  // from the stored step keys on resume, so a step never stored must not take a number.
  const newSteps: PendingStep[] = plan.steps.map(({ invokeId, step, input }) => {
    const visit = (run.visits.get(invokeId) ?? 0) + 1;
    visits.push(visit);
    if (!Object.hasOwn(run.recipe.steps, step)) {
      const message = `run ${run.runId}: the machine invoked "${step}", which is not a step of ${run.recipe.key}`;
      throw new EngineError(EngineErrorCode.UnknownStep, message, { runId: run.runId });
    }
    const stepKey = `${invokeId}#${visit}`;
    return { stepKey, invokeId, step, input, status: StepStatus.Scheduled, attempt: 1, abort: new LazyAbort() };
  });
  const status = runStatusOf(next, run.pending.size - cancelled.length + newSteps.length);
  const { vault } = run;
  const timers: readonly TimerRow[] =
    plan.timers.length === 0
      ? noTimers
      : plan.timers.map((t) => ({
          runId: run.runId,
          timerId: t.timerId,
          kind: TimerKind.Event,
          deadlineMs: atMs + t.delayMs,
          payloadJson: vault.json(t.event),
        }));
  let timersCancelled: readonly string[] = plan.cancelledTimers.length === 0 ? noKeys : plan.cancelledTimers;
  for (const p of cancelled) if (p.retryTimerId) timersCancelled = [...timersCancelled, p.retryTimerId];
  // Written out rather than through bareCommit(): its `...extra` spread copied every field once more.
  const commit: TransitionCommit = {
    runId: run.runId,
    owner: run.owner,
    atMs,
    status,
    previousStatus: run.status,
    history: {
      seq: run.seq + 1,
      atMs,
      type: cause.historyType,
      payloadJson: cause.historyJson ?? vault.json(cause.historyPayload),
    },
    snapshotJson: vault.snapshotJson(next),
    outputJson: status === RunStatus.Completed ? vault.json(next.output) : null,
    errorJson: status === RunStatus.Failed ? vault.json(vault.redactError(serializeError(next.error))) : null,
    stepUpdate: cause.stepUpdate,
    newSteps: newSteps.map((p) => ({
      runId: run.runId,
      stepKey: p.stepKey,
      step: p.step,
      status: StepStatus.Scheduled,
      attempt: 1,
      inputJson: vault.json(p.input),
      outputJson: null,
      errorJson: null,
      updatedMs: atMs,
    })),
    // The shared empties are frozen: a store that tried to change them would fail loudly.
    cancelledSteps: cancelled.length === 0 ? (noKeys as string[]) : cancelled.map((p) => p.stepKey),
    timersSet: timers as TimerRow[],
    timersCancelled: timersCancelled as string[],
    firedTimer: cause.firedTimer,
  };
  return { next, commit, newSteps, cancelled, visits, timers };
}
