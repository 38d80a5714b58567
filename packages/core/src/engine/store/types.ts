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

/** A value now, or a promise of it: a synchronous store (SQLite) answers at once, an asynchronous one (PostgreSQL) later. */
export type Awaitable<T> = T | Promise<T>;

/** How a `create` write ended: on an idempotency-key or id clash, the existing run's id. */
export interface CreateRunResult {
  created: boolean;
  runId: string;
}

/** One write of a group commit, as data, so that an asynchronous store can send a whole batch at once. */
export type StoreWrite =
  /** Inserts a run with its first transition; yields a CreateRunResult. */
  | { kind: 'create'; run: RunRow; commit: TransitionCommit }
  /**
   * Applies a transition; yields false (nothing written) when `commit.owner` no longer holds an
   * active run's lease. `asyncCommit`: nothing outside the store relies on this write being on disk
   * when it is acknowledged (see `mayCommitAsync`), so a store whose later commits make earlier
   * ones durable (PostgreSQL's WAL) may skip waiting for its flush; absent or false: wait.
   */
  | { kind: 'commit'; commit: TransitionCommit; asyncCommit?: boolean }
  /** Marks a step started just before its effect, with the attempt's deadline; yields false when the lease is lost. */
  | {
      kind: 'started';
      runId: string;
      stepKey: string;
      attempt: number;
      owner: string;
      atMs: number;
      deadlineMs: number;
    };

/** What one StoreWrite yields: a CreateRunResult for `create`, a boolean for the others. */
export type StoreWriteResult = CreateRunResult | boolean;

/** A lease as stored: who holds an unfinished run, until when. */
export interface LeaseRow {
  runId: string;
  status: string;
  leaseOwner: string | null;
  leaseExpiresMs: number | null;
}

/**
 * The storage the engine needs; `sqliteStore` (@fornex-flow/sqlite) is the embedded implementation.
 * Every method may answer synchronously or with a promise (`Awaitable`): the engine never awaits a
 * synchronous answer on its per-step path, so SQLite pays nothing for the asynchronous option.
 * A write that fails (full disk, read-only file, I/O error, lost connection) throws or rejects;
 * the engine reports it as STORE_WRITE_FAILED and relies on nothing of it having been written.
 */
export interface WorkflowStore {
  /**
   * Applies `writes` in order in one transaction (the engine's group commit: everything queued
   * during one event-loop turn, or while the previous batch was in flight); yields each write's
   * result in order. A refused write (lease lost) writes nothing and yields false; any other
   * failure rolls the whole batch back and throws.
   */
  writeBatch(writes: readonly StoreWrite[]): Awaitable<StoreWriteResult[]>;
  getRun(runId: string): Awaitable<RunRow | undefined>;
  findByIdempotencyKey(key: string): Awaitable<RunRow | undefined>;
  listRuns(filter: { status?: RunStatus; parentId?: string }): Awaitable<RunRow[]>;
  /** A run and what resuming it needs; CORRUPT_RUN when its step journal cannot be read. */
  loadRun(runId: string): Awaitable<LoadedRun | undefined>;
  history(runId: string): Awaitable<HistoryRow[]>;
  steps(runId: string): Awaitable<StepRow[]>;
  /** Takes the lease when it is free, expired or already `owner`'s (active runs only). */
  acquireLease(runId: string, owner: string, expiresMs: number, nowMs: number): Awaitable<boolean>;
  /** Extends every lease `owner` holds on an active run; yields those runs' ids. */
  renewLeases(owner: string, expiresMs: number): Awaitable<string[]>;
  releaseLease(runId: string, owner: string): Awaitable<void>;
  releaseLeases(owner: string): Awaitable<void>;
  /** The lease of every run that has not ended (status other than completed, failed, cancelled: unknown ones too). */
  unfinishedRuns(): Awaitable<LeaseRow[]>;
  /** Ids of active runs whose lease is free or expired at `nowMs` (oldest first, at most `limit`): what a takeover sweep looks for. */
  claimableRuns(nowMs: number, limit: number): Awaitable<string[]>;
  dueTimers(owner: string, nowMs: number, limit: number): Awaitable<TimerRow[]>;
  nextTimerDeadline(owner: string): Awaitable<number | undefined>;
  /** Marks an active run cancelled (any owner), dropping its timers and open steps. */
  cancelRun(runId: string, atMs: number, history: Omit<HistoryRow, 'runId'>): Awaitable<boolean>;
  close(): Awaitable<void>;
}

/** A store whose every method answers at once (no promises), as `sqliteStore` does: handy in tests and tools. */
export type SyncWorkflowStore = {
  [K in keyof WorkflowStore]: WorkflowStore[K] extends (...args: infer A) => infer R
    ? (...args: A) => Exclude<R, Promise<unknown>>
    : WorkflowStore[K];
};
