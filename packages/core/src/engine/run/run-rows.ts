import type { DriverDeps } from '../driver-deps.js';
import { EngineError, EngineErrorCode } from '../errors.js';
import type { Recipe } from '../recipe/define-recipe.js';
import type { RunSecrets } from '../secrets/secrets.js';
import { StepStatus, TimerKind } from '../status.js';
import { LazyAbort } from '../steps/lazy-abort.js';
import type { PendingStep } from '../steps/step-runner.js';
import type { RunRow, StepRow, TimerRow, TransitionCommit } from '../store/types.js';

/** The row of a new run, leased by this engine, with the snapshot of its initial transition. */
export function newRunRow(
  deps: Pick<DriverDeps, 'clock' | 'owner' | 'leaseExpiry'>,
  recipe: Recipe,
  run: Pick<RunRow, 'id' | 'parentId' | 'idempotencyKey'>,
  input: unknown,
  vault: RunSecrets,
  commit: TransitionCommit,
): RunRow {
  const atMs = deps.clock.now();
  // Fields written out rather than `...run`: the properties added after the spread each took a
  // slow path in V8, which made this once-per-run function 5 % of the engine's profile.
  return {
    id: run.id,
    parentId: run.parentId,
    idempotencyKey: run.idempotencyKey,
    recipeId: recipe.id,
    recipeVersion: recipe.version,
    status: commit.status,
    inputJson: vault.json(input),
    snapshotJson: commit.snapshotJson ?? '{}',
    outputJson: null,
    errorJson: null,
    leaseOwner: deps.owner,
    leaseExpiresMs: deps.leaseExpiry(),
    createdMs: atMs,
    updatedMs: atMs,
  };
}

const timedOut = (errorJson: string | null): boolean => {
  try {
    return errorJson !== null && (JSON.parse(errorJson) as { code?: unknown }).code === EngineErrorCode.StepTimeout;
  } catch {
    return false;
  }
};

/** An open step row back in memory (after a restart); its retry timer, if it sleeps on one. */
export function pendingFromRow(row: StepRow, timers: TimerRow[], vault: RunSecrets, runId: string): PendingStep {
  let input: unknown;
  try {
    input = vault.decode(row.inputJson);
  } catch (error) {
    throw new EngineError(EngineErrorCode.CorruptRun, `run ${runId}: step ${row.stepKey} has an unreadable input`, {
      runId,
      cause: error,
    });
  }
  const retryTimerId = `retry:${row.stepKey}`;
  const step: PendingStep = {
    stepKey: row.stepKey,
    invokeId: row.stepKey.slice(0, row.stepKey.lastIndexOf('#')),
    step: row.step,
    input,
    status: row.status,
    attempt: row.attempt,
    abort: new LazyAbort(),
  };
  if (timers.some((timer) => timer.timerId === retryTimerId)) step.retryTimerId = retryTimerId;
  // Another engine's last attempt may still land: it was in flight when that engine stopped, or it
  // timed out (see executeStep). An attempt that failed otherwise had its answer: no wait.
  if (typeof row.deadlineMs === 'number' && (row.status === StepStatus.Started || timedOut(row.errorJson)))
    step.lastDeadlineMs = row.deadlineMs;
  return step;
}

/** The timer row of a step's retry, due `delayMs` after `atMs`, and the payload of its `step.retrying` history entry. */
export function retryRows(
  runId: string,
  stepKey: string,
  attempt: number,
  errorJson: string,
  delayMs: number,
  atMs: number,
): { timer: TimerRow; payloadJson: string } {
  const timer: TimerRow = {
    runId,
    timerId: `retry:${stepKey}`,
    kind: TimerKind.Retry,
    deadlineMs: atMs + delayMs,
    payloadJson: '{}',
  };
  return { timer, payloadJson: JSON.stringify({ stepKey, attempt, delayMs, error: JSON.parse(errorJson) }) };
}
