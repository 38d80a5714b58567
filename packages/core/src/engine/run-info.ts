import type { RunOutcome } from './driver-deps.js';
import { EngineError, EngineErrorCode, type SerializedError } from './errors.js';
import { parseShown } from './secrets/secret-codec.js';
import { RunStatus } from './status.js';
import type { HistoryRow, RunRow, StepRow } from './store/types.js';

/** A run as `engine.get` and `engine.list` show it (secrets redacted). */
export interface RunInfo {
  runId: string;
  recipeId: string;
  recipeVersion: string;
  parentRunId: string | null;
  idempotencyKey: string | null;
  status: RunStatus;
  /** The machine's state value. */
  state: unknown;
  input: unknown;
  output: unknown;
  error: SerializedError | null;
  leaseOwner: string | null;
  leaseExpiresMs: number | null;
  createdMs: number;
  updatedMs: number;
}

/** One history entry of a run. */
export interface HistoryEntry {
  seq: number;
  atMs: number;
  type: string;
  payload: unknown;
}

/** One step row of a run. */
export interface StepInfo {
  stepKey: string;
  step: string;
  status: StepRow['status'];
  attempt: number;
  input: unknown;
  output: unknown;
  error: SerializedError | null;
  updatedMs: number;
}

// Rows are read for display: an unreadable JSON column shows as null rather than failing a listing.
const parse = (json: string | null): unknown => {
  if (json === null) return null;
  try {
    return parseShown(json);
  } catch {
    return null;
  }
};

/** A run row as RunInfo. */
export function toRunInfo(row: RunRow): RunInfo {
  const snapshot = parse(row.snapshotJson) as { value?: unknown } | null;
  return {
    runId: row.id,
    recipeId: row.recipeId,
    recipeVersion: row.recipeVersion,
    parentRunId: row.parentId,
    idempotencyKey: row.idempotencyKey,
    status: row.status,
    state: snapshot?.value ?? null,
    input: parse(row.inputJson),
    output: parse(row.outputJson),
    error: parse(row.errorJson) as SerializedError | null,
    leaseOwner: row.leaseOwner,
    leaseExpiresMs: row.leaseExpiresMs,
    createdMs: row.createdMs,
    updatedMs: row.updatedMs,
  };
}

/** A history row as HistoryEntry. */
export function toHistoryEntry(row: HistoryRow): HistoryEntry {
  return { seq: row.seq, atMs: row.atMs, type: row.type, payload: parse(row.payloadJson) };
}

/** A step row as StepInfo. */
export function toStepInfo(row: StepRow): StepInfo {
  return {
    stepKey: row.stepKey,
    step: row.step,
    status: row.status,
    attempt: row.attempt,
    input: parse(row.inputJson),
    output: parse(row.outputJson),
    error: parse(row.errorJson) as SerializedError | null,
    updatedMs: row.updatedMs,
  };
}

/** The value `result()` gives for an outcome: the output, or an EngineError. */
export function outcomeValue(runId: string, outcome: RunOutcome): unknown {
  if (outcome.status === RunStatus.Completed) return outcome.output;
  if (outcome.status === RunStatus.Failed) {
    throw new EngineError(EngineErrorCode.RunFailed, `run ${runId} failed: ${outcome.error.message}`, {
      runId,
      details: outcome.error,
    });
  }
  if (outcome.status === RunStatus.Cancelled)
    throw new EngineError(EngineErrorCode.RunCancelled, `run ${runId} was cancelled`, { runId });
  throw outcome.error;
}

/**
 * The outcome a finished run row records. Its output as `readOutput` decodes it (the engine's
 * secrets, with a key: sealed values come back), or as shown (secret values are `[REDACTED]`).
 */
export function outcomeOfRow(row: RunRow, readOutput?: (json: string) => unknown): RunOutcome | undefined {
  const info = toRunInfo(row);
  if (row.status === RunStatus.Completed) {
    // No output column (a machine without output) is `undefined`, as `result()` gives it on the first start.
    let output = row.outputJson === null ? undefined : info.output;
    try {
      if (readOutput && row.outputJson !== null) output = readOutput(row.outputJson);
    } catch {
      // Unreadable with the key: the output as shown.
    }
    return { status: RunStatus.Completed, output };
  }
  if (row.status === RunStatus.Failed)
    return { status: RunStatus.Failed, error: info.error ?? { name: 'Error', message: 'unknown error' } };
  if (row.status === RunStatus.Cancelled) return { status: RunStatus.Cancelled };
  return undefined;
}
