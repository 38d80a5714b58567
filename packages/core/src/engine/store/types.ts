import type { RunStatus, StepStatus, TimerKind } from '../status.js';

/** A run as stored. JSON columns hold redacted JSON text. */
export interface RunRow {
  id: string;
  recipeId: string;
  recipeVersion: string;
  parentId: string | null;
  idempotencyKey: string | null;
  status: RunStatus;
  inputJson: string;
  snapshotJson: string;
  outputJson: string | null;
  errorJson: string | null;
  leaseOwner: string | null;
  leaseExpiresMs: number | null;
  createdMs: number;
  updatedMs: number;
}

/** A step as stored: the outbox row of one invocation, keyed `<invoke id>#<visit>` within its run. */
export interface StepRow {
  runId: string;
  stepKey: string;
  step: string;
  status: StepStatus;
  attempt: number;
  inputJson: string;
  outputJson: string | null;
  errorJson: string | null;
  updatedMs: number;
  /** An open step's last started attempt's deadline, from its marker (null in markers written before deadlines existed). */
  deadlineMs?: number | null;
}

/** A durable timer: deliver `payloadJson` to the run at `deadlineMs` (absolute, so a restart keeps the remaining time). */
export interface TimerRow {
  runId: string;
  timerId: string;
  kind: TimerKind;
  deadlineMs: number;
  payloadJson: string;
}

/** One entry of a run's history. */
export interface HistoryRow {
  runId: string;
  seq: number;
  atMs: number;
  type: string;
  payloadJson: string;
}

/** Everything one transition writes, applied in one SQLite transaction or not at all. */
export interface TransitionCommit {
  runId: string;
  owner: string;
  atMs: number;
  status: RunStatus;
  /** The status the committer believes the row has: when equal to `status`, the status column is not rewritten. */
  previousStatus?: RunStatus;
  /** Omitted when the machine did not move (a retry being scheduled). */
  snapshotJson?: string;
  outputJson?: string | null;
  errorJson?: string | null;
  history: Omit<HistoryRow, 'runId'>;
  stepUpdate?: Pick<StepRow, 'stepKey' | 'status' | 'attempt' | 'outputJson' | 'errorJson'>;
  newSteps: StepRow[];
  cancelledSteps: string[];
  timersSet: TimerRow[];
  timersCancelled: string[];
  firedTimer?: string;
}

/** A run row plus what resuming it needs. */
export interface LoadedRun {
  run: RunRow;
  openSteps: StepRow[];
  timers: TimerRow[];
  lastSeq: number;
  visits: Map<string, number>;
}

/** The storage the engine needs; `sqliteStore` is the implementation, and the only place that knows SQL. */
export interface WorkflowStore {
  /** Inserts a run and applies its first commit atomically; on an idempotency-key or id clash, returns the existing run's id. */
  createRun(run: RunRow, commit: TransitionCommit): { created: boolean; runId: string };
  /** Applies a transition; false (and nothing written) when `owner` no longer holds an active run's lease. */
  commit(commit: TransitionCommit): boolean;
  /** Marks a step started before its effect, with the attempt's deadline; false when the lease is lost. */
  markStepStarted(
    runId: string,
    stepKey: string,
    attempt: number,
    owner: string,
    atMs: number,
    deadlineMs: number,
  ): boolean;
  getRun(runId: string): RunRow | undefined;
  findByIdempotencyKey(key: string): RunRow | undefined;
  listRuns(filter: { status?: RunStatus; parentId?: string }): RunRow[];
  loadRun(runId: string): LoadedRun | undefined;
  history(runId: string): HistoryRow[];
  steps(runId: string): StepRow[];
  /** Takes the lease when it is free, expired or already `owner`'s. */
  acquireLease(runId: string, owner: string, expiresMs: number, nowMs: number): boolean;
  /** Extends every lease `owner` holds on an active run; returns those runs' ids. */
  renewLeases(owner: string, expiresMs: number): string[];
  releaseLease(runId: string, owner: string): void;
  releaseLeases(owner: string): void;
  /** Active runs whose lease is free, expired or `owner`'s. */
  resumableRuns(owner: string, nowMs: number): RunRow[];
  dueTimers(owner: string, nowMs: number, limit: number): TimerRow[];
  nextTimerDeadline(owner: string): number | undefined;
  /** Marks an active run cancelled (any owner), dropping its timers and open steps. */
  cancelRun(runId: string, atMs: number, history: Omit<HistoryRow, 'runId'>): boolean;
  /** Runs `work` in one SQLite transaction; the writes inside join it (group commit). */
  atomically<T>(work: () => T): T;
  close(): void;
}
