import { RunStatus, StepStatus } from '../status.js';
import type { LoadedRun, RunRow, StepRow, TimerRow, TransitionCommit } from './types.js';

// Steps live in the history journal: each history row carries the step changes of its transition
// (steps scheduled, the step update that caused it, steps cancelled), so a step costs no statement
// of its own on the hot path. The `steps` table keeps only `started` markers, written just before
// a non-idempotent step's effect. Why: four statements per transition over three tables were
// half of a step's cost; reads (resume, `engine.steps()`) replay the journal instead.

interface StepChanges {
  /** Steps scheduled: key, step name, input JSON. */
  n?: Array<[key: string, step: string, inputJson: string]>;
  /** The step update: key, status, attempt, output JSON, error JSON. */
  u?: [key: string, status: StepStatus, attempt: number, outputJson: string | null, errorJson: string | null];
  /** Steps cancelled. */
  c?: string[];
}

// A string or null as JSON: the keys, names and JSON texts of the journal (escaped as JSON.stringify does).
const text = (value: string | null): string => (value === null ? 'null' : JSON.stringify(value));

/**
 * The step changes of a commit as the JSON of its history row, or null when there are none: the
 * text `JSON.stringify` makes of a StepChanges object, built by hand (once per transition;
 * building and stringifying the object was 2-4 % of a step's time).
 */
export function encodeStepChanges(commit: TransitionCommit): string | null {
  const { newSteps, stepUpdate: u, cancelledSteps } = commit;
  let json = '';
  if (newSteps.length > 0) {
    json = '"n":[';
    for (let i = 0; i < newSteps.length; i++) {
      const s = newSteps[i] as (typeof newSteps)[number];
      json += `${i > 0 ? ',' : ''}[${text(s.stepKey)},${text(s.step)},${text(s.inputJson)}]`;
    }
    json += ']';
  }
  if (u) {
    const update = `[${text(u.stepKey)},${text(u.status)},${u.attempt},${text(u.outputJson)},${text(u.errorJson)}]`;
    json += `${json === '' ? '' : ','}"u":${update}`;
  }
  if (cancelledSteps.length > 0) json += `${json === '' ? '' : ','}"c":${JSON.stringify(cancelledSteps)}`;
  return json === '' ? null : `{${json}}`;
}

/** A history row's step changes, with its time. */
export interface StepChangeRow {
  atMs: number;
  stepsJson: string;
}

/** A `started` marker of the steps table. */
export interface StartedMarker {
  stepKey: string;
  attempt: number;
  updatedMs: number;
  /** The attempt's deadline (null in markers written before deadlines existed). */
  deadlineMs: number | null;
}

const open = (status: StepStatus) => status === StepStatus.Scheduled || status === StepStatus.Started;

/**
 * Replays a run's journal into its step rows, in the order they were scheduled. `parse` turns a
 * row's JSON into changes (it throws on a corrupt row; the caller wraps that as CORRUPT_RUN).
 */
export function replaySteps(
  runId: string,
  runStatus: RunStatus,
  rows: readonly StepChangeRow[],
  markers: readonly StartedMarker[],
): StepRow[] {
  const steps = new Map<string, StepRow>();
  for (const row of rows) {
    const changes = JSON.parse(row.stepsJson) as StepChanges;
    for (const [stepKey, step, inputJson] of changes.n ?? []) {
      steps.set(stepKey, {
        runId,
        stepKey,
        step,
        status: StepStatus.Scheduled,
        attempt: 1,
        inputJson,
        outputJson: null,
        errorJson: null,
        updatedMs: row.atMs,
      });
    }
    if (changes.u) {
      const [stepKey, status, attempt, outputJson, errorJson] = changes.u;
      const step = steps.get(stepKey);
      if (step) Object.assign(step, { status, attempt, outputJson, errorJson, updatedMs: row.atMs });
    }
    for (const stepKey of changes.c ?? []) {
      const step = steps.get(stepKey);
      if (step && open(step.status)) Object.assign(step, { status: StepStatus.Cancelled, updatedMs: row.atMs });
    }
  }
  // A marker is newer than the journal's `scheduled` of the same attempt (and older than any end).
  // An open step keeps the deadline of its last started attempt, even one a retry has followed:
  // that attempt's request may still land.
  for (const marker of markers) {
    const step = steps.get(marker.stepKey);
    if (!step || !open(step.status)) continue;
    step.deadlineMs = marker.deadlineMs ?? null;
    if (step.status === StepStatus.Scheduled && marker.attempt >= step.attempt) {
      Object.assign(step, { status: StepStatus.Started, attempt: marker.attempt, updatedMs: marker.updatedMs });
    }
  }
  if (runStatus === RunStatus.Cancelled) {
    for (const step of steps.values()) if (open(step.status)) step.status = StepStatus.Cancelled;
  }
  return [...steps.values()];
}

/**
 * What a resume needs of a run, from its replayed steps: the open ones, and each invoke's highest
 * visit (so new step keys continue the count). Every store builds its `loadRun` answer with it.
 */
export function loadedRunOf(run: RunRow, steps: readonly StepRow[], timers: TimerRow[], lastSeq: number): LoadedRun {
  const visits = new Map<string, number>();
  for (const { stepKey } of steps) {
    const at = stepKey.lastIndexOf('#');
    const invokeId = stepKey.slice(0, at);
    visits.set(invokeId, Math.max(visits.get(invokeId) ?? 0, Number(stepKey.slice(at + 1))));
  }
  return { run, openSteps: steps.filter((step) => open(step.status)), timers, lastSeq, visits };
}
