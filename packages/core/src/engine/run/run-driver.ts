import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { CrashPoint, crashPoint } from '../crash-points.js';
import { type DriverDeps, emitRunEnded, type RunOutcome } from '../driver-deps.js';
import { EngineError, EngineErrorCode, isEngineError, type SerializedError, serializeError } from '../errors.js';
import type { Recipe } from '../recipe/define-recipe.js';
import type { RunSecrets } from '../secrets/secrets.js';
import { RunStatus, StepStatus, TimerKind } from '../status.js';
import { createAttemptEnv, executeStep, type PendingStep, type StepHost } from '../steps/step-runner.js';
import type { WriteListener } from '../store/commit-batcher.js';
import { storeWriteFailed } from '../store/store-fault.js';
import type { LoadedRun, RunRow, StoreWrite, TimerRow, TransitionCommit } from '../store/types.js';
import { mayCommitAsync } from './commit-durability.js';
import { bareCommit, type PreparedTransition, prepareTransition, type RunState } from './prepare-transition.js';
import { type TransitionAction, transitionerOf } from './pure-transition.js';
import { held, RunQueue } from './run-queue.js';
import { readStoredRun, timerEvent } from './run-restore.js';
import { newRunRow, retryRows } from './run-rows.js';
import { type DriverCause, type OutcomeRun, stepFailed, stepSucceeded } from './step-outcomes.js';
import { TimerLedger } from './timer-ledger.js';

/** A transition waiting for its commit: at most one per run, as the queue holds until it is committed. */
interface InFlight {
  prepared: PreparedTransition;
  write: StoreWrite;
  eventType: string;
  afterCommit: (() => void) | undefined;
}

/** Drives one run: each event is one pure transition and one commit; effects start after it. */
export class RunDriver {
  private readonly pending = new Map<string, PendingStep>();
  private readonly timers = new TimerLedger();
  private readonly queue = new RunQueue(
    () => this.detached,
    (error) => this.internalError(error),
  );
  private inFlight: InFlight | undefined;
  private detached = false;
  private releasedWith: EngineError | undefined;
  /** How the run ended here, secrets in clear (events show them redacted). */
  endedWith: RunOutcome | undefined;
  private settle!: (outcome: RunOutcome) => void;
  // One per run, shared by its steps: closures built for every attempt showed in allocation profiles.
  private readonly stepHost: StepHost;
  private readonly outcomeRun: OutcomeRun;
  /** Resolves once, when the run ends or leaves this engine. */
  readonly outcome = new Promise<RunOutcome>((resolve) => {
    this.settle = resolve;
  });
  status: RunStatus = RunStatus.Running;

  private constructor(
    private readonly deps: DriverDeps,
    readonly recipe: Recipe,
    readonly runId: string,
    readonly vault: RunSecrets,
    private snapshot: AnyMachineSnapshot,
    private seq: number,
    private readonly visits: Map<string, number>,
  ) {
    this.outcomeRun = { runId, recipe, vault, bus: deps.bus };
    this.stepHost = {
      limiter: deps.limiter,
      env: createAttemptEnv(deps, runId),
      isCurrent: (step) => !this.detached && this.pending.get(step.stepKey) === step,
      machineContext: () => this.snapshot.context,
      settle: (step, done) =>
        this.queue.push(() => {
          if (this.pending.get(step.stepKey) !== step) return; // cancelled while it ran
          if (done.ok === 'lease-lost') return this.leaseLost();
          if (done.ok) return this.succeeded(step, done.output, done.replayed);
          // The `started` marker could not be written: the effect did not start; the run stays as committed.
          if (isEngineError(done.error, EngineErrorCode.StoreWriteFailed)) return this.storeFailed(done.error);
          return this.failed(step, done.error);
        }),
    };
  }

  /** Computes the initial transition and creates the run row with it; returns the existing id on a clash. */
  static async create(
    deps: DriverDeps,
    recipe: Recipe,
    run: Pick<RunRow, 'id' | 'parentId' | 'idempotencyKey'>,
    input: unknown,
    vault: RunSecrets,
  ): Promise<{ driver: RunDriver; created: true } | { created: false; runId: string }> {
    const [snapshot, actions] = transitionerOf(recipe).initial(input);
    const driver = new RunDriver(deps, recipe, run.id, vault, snapshot, 0, new Map());
    const prepared = driver.prepare(snapshot, actions, { historyType: 'run.started' });
    const row = newRunRow(deps, recipe, run, input, vault, prepared.commit);
    const result = await deps.batcher.run({ kind: 'create', run: row, commit: prepared.commit });
    if (!result.created) return { created: false, runId: result.runId };
    driver.leaseRenewed(row.leaseExpiresMs ?? 0);
    crashPoint(CrashPoint.AfterStartCommit);
    if (deps.bus.listenerCount('run:started') > 0)
      deps.bus.emit('run:started', {
        runId: run.id,
        recipeId: recipe.id,
        version: recipe.version,
        parentRunId: run.parentId,
      });
    driver.applyPrepared(prepared, 'xstate.init');
    return { driver, created: true };
  }

  /** Rebuilds a driver from its rows (the caller holds the lease); see readStoredRun for what it refuses. */
  static restore(deps: DriverDeps, recipe: Recipe, loaded: LoadedRun, vault: RunSecrets): RunDriver {
    const { snapshot, openSteps } = readStoredRun(recipe, loaded, vault);
    const driver = new RunDriver(deps, recipe, loaded.run.id, vault, snapshot, loaded.lastSeq, loaded.visits);
    driver.status = loaded.run.status;
    driver.timers.restore(loaded.timers);
    for (const step of openSteps) driver.pending.set(step.stepKey, step);
    return driver;
  }

  /** After a restore: re-arms the timers and re-runs (or reconciles) the steps that were in flight. */
  recover(timers: TimerRow[]): void {
    for (const timer of timers) this.deps.timerSet(timer.deadlineMs);
    if (this.pending.size === 0) this.deps.bus.emit('run:waiting', { runId: this.runId, state: this.snapshot.value });
    for (const step of this.pending.values()) if (step.retryTimerId === undefined) void this.execute(step);
  }

  /** Delivers an external event (`engine.send`): persisted, then transitioned, in one commit; rejects if the lease was lost. */
  async send(event: EventObject): Promise<void> {
    await this.queue.pushAwaited(() => this.transitionWith(event, { historyType: 'event', historyPayload: event }));
    if (this.releasedWith) throw this.releasedWith;
  }

  /** Delivers a due timer row. */
  fireTimer(timer: TimerRow): Promise<void> {
    if (timer.kind === TimerKind.Retry) {
      const step = [...this.pending.values()].find((candidate) => candidate.retryTimerId === timer.timerId);
      return this.queue.pushAwaited(async () => {
        // Deleting first is safe: a step row still open with no timer is re-run (or reconciled) on resume.
        if (!(await this.deleteTimer(timer.timerId))) return;
        if (step && this.pending.get(step.stepKey) === step) {
          step.retryTimerId = undefined;
          void this.execute(step);
        }
      });
    }
    return this.queue.pushAwaited(() => {
      // Not always this row: it may have been cancelled while it waited its turn (see timer-ledger.ts).
      const due = this.timers.next(timer);
      if (!due) return;
      const event = timerEvent(this.runId, this.vault, due);
      this.vault.assertAvailable();
      return this.transitionWith(event, {
        firedTimer: due.timerId,
        historyType: 'timer',
        historyPayload: { timerId: due.timerId },
      });
    });
  }

  /** This engine holds the run's lease until at least `expiresMs` (it took the lease, or a renewal reached the run). */
  leaseRenewed(expiresMs: number): void {
    if (expiresMs > this.stepHost.env.leaseUntilMs) this.stepHost.env.leaseUntilMs = expiresMs;
  }

  /** True once the run ended or left this engine. */
  isReleased(): boolean {
    return this.detached;
  }

  /** Stops driving after the run was cancelled in the store. */
  cancelled(): void {
    this.release({ status: RunStatus.Cancelled });
  }

  /** Stops driving without touching the store (engine closing): in-flight steps are aborted. */
  detach(reason: EngineError): void {
    this.release({ status: 'released', error: reason });
  }

  /** Why this engine stopped driving a run that had not ended (LEASE_LOST, STORE_WRITE_FAILED, CORRUPT_RUN, ENGINE_CLOSED). */
  stoppedBy(): EngineError | undefined {
    return this.releasedWith;
  }

  /** True while a non-idempotent step's effect may be under way (its `started` marker written, no result). */
  effectInFlight(): boolean {
    for (const step of this.pending.values()) if (step.status === StepStatus.Started) return true;
    return false;
  }

  private async deleteTimer(timerId: string): Promise<boolean> {
    const atMs = this.deps.clock.now();
    const ok = await this.write(this.bare(atMs, 'retry.fired', JSON.stringify({ timerId }), { firedTimer: timerId }));
    if (!ok) this.leaseLost();
    else this.seq++;
    return ok;
  }

  // Every write of a run goes through the engine's group commit, in the order the run issues them.
  private write(commit: TransitionCommit): Promise<boolean> {
    return this.deps.batcher.run({ kind: 'commit', commit });
  }

  private prepare(
    next: AnyMachineSnapshot,
    actions: readonly TransitionAction[],
    extra: DriverCause,
  ): PreparedTransition {
    const run: RunState = {
      runId: this.runId,
      owner: this.deps.owner,
      recipe: this.recipe,
      vault: this.vault,
      status: this.status,
      seq: this.seq,
      pending: this.pending,
      visits: this.visits,
    };
    return prepareTransition(run, this.deps.clock.now(), next, actions, extra);
  }

  private bare(atMs: number, type: string, payloadJson: string, extra: Partial<TransitionCommit> = {}) {
    const run = { runId: this.runId, owner: this.deps.owner, status: this.status, seq: this.seq };
    return bareCommit(run, atMs, { type, payloadJson }, extra);
  }

  private applyPrepared(prepared: PreparedTransition, eventType: string, afterCommit?: () => void): void {
    const { next, commit, newSteps, cancelled, visits, timers } = prepared;
    this.timers.apply(commit);
    this.snapshot = next;
    this.seq = commit.history.seq;
    this.status = commit.status;
    for (let i = 0; i < newSteps.length; i++)
      this.visits.set((newSteps[i] as PendingStep).invokeId, visits[i] as number);
    for (const step of cancelled) {
      step.abort.abort(
        new EngineError(EngineErrorCode.RunNotActive, `step ${step.stepKey} was cancelled by the machine`),
      );
      this.pending.delete(step.stepKey);
    }
    for (const step of newSteps) this.pending.set(step.stepKey, step);
    afterCommit?.();
    const { bus } = this.deps;
    // Payloads are built only when someone listens: most engines never subscribe to these.
    if (bus.listenerCount('run:transition') > 0)
      bus.emit('run:transition', { runId: this.runId, event: eventType, state: next.value, status: commit.status });
    for (const timer of timers) {
      bus.emit('timer:set', { runId: this.runId, timerId: timer.timerId, deadlineMs: timer.deadlineMs });
      this.deps.timerSet(timer.deadlineMs);
    }
    if (timers.length > 0) crashPoint(CrashPoint.MidTimer);
    if (commit.status === RunStatus.Completed) this.release({ status: RunStatus.Completed, output: next.output });
    else if (commit.status === RunStatus.Failed)
      this.release({ status: RunStatus.Failed, error: this.vault.redactError(serializeError(next.error)) });
    else if (commit.status === RunStatus.Cancelled) this.release({ status: RunStatus.Cancelled });
    else {
      if (commit.status === RunStatus.Waiting) bus.emit('run:waiting', { runId: this.runId, state: next.value });
      for (const step of newSteps) void this.execute(step);
    }
  }

  // Queued work: the commit goes through a listener rather than a promise (see commitListener),
  // and the queue holds until it is committed and applied.
  private transitionWith(event: EventObject, extra: DriverCause): typeof held {
    const [next, actions] = transitionerOf(this.recipe).next(this.snapshot, event);
    const prepared = this.prepare(next, actions, extra);
    const { commit } = prepared;
    const write: StoreWrite = {
      kind: 'commit',
      commit,
      asyncCommit: mayCommitAsync(commit, extra.idempotentStep === true, this.recipe.steps),
    };
    this.inFlight = { prepared, write, eventType: event.type, afterCommit: extra.afterCommit };
    this.deps.batcher.submit(write, this.commitListener);
    return held;
  }

  private readonly commitListener: WriteListener<boolean> = {
    written: (committed) => {
      const { prepared, eventType, afterCommit } = this.inFlight as InFlight;
      this.inFlight = undefined;
      try {
        if (!committed) this.leaseLost();
        else {
          crashPoint(CrashPoint.AfterTransitionCommit);
          this.applyPrepared(prepared, eventType, afterCommit);
        }
      } catch (error) {
        this.queue.fail(error);
        return;
      }
      this.queue.resume();
    },
    // Nothing of the transition was written: the run stays as last committed, and this engine stops driving it.
    failed: (error) => {
      this.inFlight = undefined;
      this.storeFailed(error);
      this.queue.resume();
    },
  };

  private execute(step: PendingStep): void {
    const definition = this.recipe.steps[step.step];
    if (definition) executeStep(step, definition, this.stepHost);
  }

  private succeeded(step: PendingStep, output: unknown, replayed: boolean): typeof held {
    const { event, cause } = stepSucceeded(this.outcomeRun, step, output, replayed);
    this.pending.delete(step.stepKey);
    return this.transitionWith(event, cause);
  }

  private failed(step: PendingStep, error: unknown): typeof held | Promise<void> {
    const outcome = stepFailed(this.outcomeRun, step, error);
    if ('retry' in outcome) return this.scheduleRetry(step, outcome.serialized, outcome.errorJson, outcome.delayMs);
    this.pending.delete(step.stepKey);
    return this.transitionWith(outcome.event, outcome.cause);
  }

  private async scheduleRetry(
    step: PendingStep,
    serialized: SerializedError,
    errorJson: string,
    delayMs: number,
  ): Promise<void> {
    const { stepKey, attempt } = step;
    const { bus } = this.deps;
    const atMs = this.deps.clock.now();
    const { timer, payloadJson } = retryRows(this.runId, stepKey, attempt, errorJson, delayMs, atMs);
    const committed = await this.write(
      this.bare(atMs, 'step.retrying', payloadJson, {
        status: RunStatus.Running,
        stepUpdate: { stepKey, status: StepStatus.Scheduled, attempt: attempt + 1, outputJson: null, errorJson },
        timersSet: [timer],
      }),
    );
    if (!committed) return this.leaseLost();
    this.seq++;
    step.attempt = attempt + 1;
    step.status = StepStatus.Scheduled;
    step.retryTimerId = timer.timerId;
    bus.emit('step:retrying', { runId: this.runId, stepKey, step: step.step, attempt, delayMs, error: serialized });
    bus.emit('timer:set', { runId: this.runId, timerId: timer.timerId, deadlineMs: timer.deadlineMs });
    this.deps.timerSet(timer.deadlineMs);
  }

  private leaseLost(): void {
    this.release({
      status: 'released',
      error: new EngineError(
        EngineErrorCode.LeaseLost,
        `run ${this.runId}: this engine no longer holds its lease (cancelled, or taken over after expiry)`,
        { runId: this.runId },
      ),
    });
  }

  // A write the store refused: the run is left as last committed, for a resume once the store writes again.
  private storeFailed(error: unknown): void {
    this.release({ status: 'released', error: storeWriteFailed(error, this.runId) });
  }

  // A bug in the machine (a throwing guard or assign) or an unknown step fails the run, recorded, not thrown at the caller.
  // A failed write or a corrupt row does not: the run is left as stored (and its lease released by the engine).
  private async internalError(error: unknown): Promise<void> {
    if (this.detached) return;
    if (isEngineError(error, EngineErrorCode.StoreWriteFailed)) return this.storeFailed(error);
    if (isEngineError(error, EngineErrorCode.CorruptRun)) return this.release({ status: 'released', error });
    const serialized = this.vault.redactError(serializeError(error));
    const atMs = this.deps.clock.now();
    let committed = false;
    try {
      const errorJson = this.vault.json(serialized);
      const commit = this.bare(atMs, 'run.error', errorJson, {
        status: RunStatus.Failed,
        errorJson,
        cancelledSteps: [...this.pending.keys()],
      });
      committed = await this.write(commit);
    } catch (writeError) {
      return this.storeFailed(writeError);
    }
    if (committed) this.release({ status: RunStatus.Failed, error: serialized });
    else this.leaseLost();
  }

  private release(outcome: RunOutcome): void {
    if (this.detached) return;
    this.detached = true;
    if (outcome.status !== 'released') this.status = outcome.status;
    else this.releasedWith = outcome.error;
    for (const step of this.pending.values())
      step.abort.abort(new EngineError(EngineErrorCode.RunNotActive, `run ${this.runId} stopped`));
    this.endedWith = outcome;
    emitRunEnded(this.deps.bus, this.runId, outcome, (output) => this.vault.shown(output));
    this.deps.released(this);
    this.settle(outcome);
  }
}
