import { randomUUID } from 'node:crypto';
import type { EventObject } from 'xstate';
import { type Clock, systemClock } from './clock.js';
import type { DriverDeps } from './driver-deps.js';
import { createEventBus, type EngineEventName, type EngineEvents } from './engine-events.js';
import { EngineError, EngineErrorCode } from './errors.js';
import { createLeaseKeeper } from './ownership/lease.js';
import { createRunTakeover } from './ownership/run-takeover.js';
import { createScheduler } from './ownership/scheduler.js';
import { createTakeoverSweep, defaultTakeoverIntervalMs } from './ownership/takeover-sweep.js';
import type { ChildRuns } from './recipe/define-recipe.js';
import { describeInputIssues } from './recipe/input-issues.js';
import type { AnyRecipe, RunOutput, StartInput, WithRecipes } from './recipe/recipe-types.js';
import { createRegistry } from './recipe/registry.js';
import { RunDriver } from './run/run-driver.js';
import { createRunEndings } from './run-endings.js';
import { createRunId } from './run-id.js';
import {
  type HistoryEntry,
  outcomeValue,
  type RunInfo,
  type StepInfo,
  toHistoryEntry,
  toRunInfo,
  toStepInfo,
} from './run-info.js';
import { createEngineSecrets, RunSecrets } from './secrets/secrets.js';
import { isTerminal, type RunStatus } from './status.js';
import { ConcurrencyLimiter } from './steps/concurrency.js';
import { checkStepTimeouts, resolveLeaseTiming } from './steps/step-deadline.js';
import { createCommitBatcher } from './store/commit-batcher.js';
import { createStoreFaults, runIdsOf, storeWrite } from './store/store-fault.js';
import type { WorkflowStore } from './store/types.js';

/** Options of `createEngine`. */
export interface EngineOptions<TClient = unknown, TRecipes extends readonly AnyRecipe[] = readonly AnyRecipe[]> {
  store: WorkflowStore;
  /** Handed to every step as `ctx.client` (e.g. `createFornexClient(...)`); never persisted. */
  client?: TClient;
  /** Registered at once; `start()` then checks recipe ids and inputs at compile time. Their steps' client type must accept `client`. */
  recipes?: TRecipes & readonly ClientOf<NoInfer<TClient>>[];
  clock?: Clock;
  /** Steps running at once, engine-wide (default 16). */
  concurrency?: number;
  /** Lease length; renewed every third of it (default 30 s). */
  leaseMs?: number;
  /** Deadline of a step attempt whose step sets no `timeoutMs` (default a quarter of the lease; must be below `leaseMs`). */
  stepTimeoutMs?: number;
  /** How far the clocks of engines sharing a store may disagree (default 100 ms, at most a tenth of the lease). */
  maxClockSkewMs?: number;
  /** This engine's lease owner id. Give a stable one only if a single process uses it: a restart then reclaims its runs at once. */
  ownerId?: string;
  /**
   * Text redacted wherever it appears (stored rows, events, errors), in any spelling. The key of a
   * `client` made by `createFornexClient` is added without asking.
   */
  secrets?: readonly string[];
  /**
   * 32 bytes (a Buffer, or their base64): secret inputs and outputs are stored sealed with it
   * (AES-256-GCM) and read back on resume. Without it they are never stored at all (docs/engine.md, Secrets).
   */
  secretKey?: Uint8Array | string;
  /** Hears an error thrown by an `on()` listener, which never reaches the run (default: one line on stderr). */
  onListenerError?: (error: unknown, eventName: EngineEventName) => void;
  /**
   * How often this engine looks for runs whose lease expired (their owner died) and takes them over
   * (default 1000 ms; 0 turns the sweep off, e.g. for a tool that only reads runs).
   */
  takeoverIntervalMs?: number;
  /** Holds the process open until `close()`, as a worker process wants (default: only its runs' work does). */
  keepAlive?: boolean;
}

// A recipe whose steps accept the engine's client (contravariant, like the steps' parameter).
type ClientOf<TClient> = { readonly __client?: (client: TClient) => void };

/** A started (or found) run; `TOutput` is the machine's output type when the engine knows the recipe. */
export interface RunHandle<TOutput = unknown> {
  runId: string;
  /**
   * The run's output; rejects with an EngineError (RUN_FAILED, RUN_CANCELLED, LEASE_LOST, STORE_WRITE_FAILED,
   * CORRUPT_RUN, ENGINE_CLOSED). A run this
   * engine does not drive (another process's) resolves only once this engine sees it end.
   */
  result(): Promise<TOutput>;
}

/** Options of `engine.start`. */
export interface StartOptions {
  runId?: string;
  /** A second start with the same key returns the first run. */
  idempotencyKey?: string;
  parentRunId?: string;
}

/** Options of `engine.resume`. */
export interface ResumeOptions {
  /** The recipe's secret input fields, for a run stored by an engine without a `secretKey` (which never wrote them). */
  secretInput?: Record<string, unknown>;
}

/**
 * The durable workflow engine. `TRecipe` is the union of the recipes it was given
 * (`createEngine({ recipes })`, or the engine `register()` returns); with the default, recipe ids
 * and inputs are only checked at run time.
 */
// biome-ignore lint/suspicious/noExplicitAny: `any` (not AnyRecipe) lets a typed engine go wherever an `Engine` is expected.
export interface Engine<TRecipe extends AnyRecipe = any> {
  /** Adds recipes; returns this same engine, typed to start them too. */
  register<TAdded extends readonly AnyRecipe[]>(...recipes: TAdded): Engine<WithRecipes<TRecipe, TAdded[number]>>;
  start<TId extends TRecipe['id']>(
    recipeId: TId,
    input: StartInput<TRecipe, TId>,
    options?: StartOptions,
  ): Promise<RunHandle<RunOutput<TRecipe, TId>>>;
  resume(runId: string, options?: ResumeOptions): Promise<RunHandle>;
  /**
   * Resumes every unfinished run whose lease is free, expired or ours (`resumed` also holds the runs
   * this engine already drives); reports each one it could not take and why in `failed`: RUN_LEASED
   * (leased by whom, until when), CORRUPT_RUN (unreadable rows, an unknown status), and the like.
   */
  resumeAll(options?: {
    secretInput?: (run: RunInfo) => Record<string, unknown> | undefined;
  }): Promise<{ resumed: RunHandle[]; failed: { runId: string; error: EngineError }[] }>;
  send(runId: string, event: EventObject): Promise<void>;
  /** Cancels an active run (whoever drives it); false when it had already ended. */
  cancel(runId: string): Promise<boolean>;
  get(runId: string): Promise<RunInfo | undefined>;
  list(filter?: { status?: RunStatus; parentRunId?: string }): Promise<RunInfo[]>;
  history(runId: string): Promise<HistoryEntry[]>;
  steps(runId: string): Promise<StepInfo[]>;
  /** Subscribes to an engine event; returns the unsubscribe function. */
  on<K extends EngineEventName>(name: K, listener: (payload: EngineEvents[K]) => void): () => void;
  /** Stops driving runs, releases their leases (so another engine can take over) and closes the store, whatever fails on the way. */
  close(): Promise<void>;
}

/**
 * Creates an engine over a store.
 * @example const engine = createEngine({ store: sqliteStore({ path: 'runs.db' }), client, recipes: [addDnsRecords] });
 */
export function createEngine<TClient = unknown, const TRecipes extends readonly AnyRecipe[] = readonly []>(
  options: EngineOptions<TClient, TRecipes>,
  // biome-ignore lint/suspicious/noExplicitAny: without `recipes`, the untyped `Engine` (see its type parameter).
): Engine<TRecipes extends readonly [] ? any : TRecipes[number]> {
  const { store } = options;
  const clock = options.clock ?? systemClock;
  const owner = options.ownerId ?? `engine-${randomUUID()}`;
  const timing = resolveLeaseTiming(options);
  const { leaseMs } = timing;
  const onListenerError =
    options.onListenerError ??
    ((error: unknown, name: EngineEventName) =>
      console.error(`fornex-flow: a '${name}' listener threw: ${(error as Error)?.message ?? String(error)}`));
  const secrets = createEngineSecrets(options);
  const bus = createEventBus();
  const registry = createRegistry();
  const limiter = new ConcurrencyLimiter(options.concurrency ?? 16);
  const active = new Map<string, RunDriver>();
  let closed = false;

  const endings = createRunEndings(bus, store, secrets);
  const faults = createStoreFaults(bus, store, owner);
  const storeFailed = faults.failed;
  const releaseLease = faults.releaseLease;
  const batcher = createCommitBatcher(store, (error, writes) => storeFailed('commit', error, runIdsOf(writes)));
  const leases = createLeaseKeeper(
    store,
    clock,
    owner,
    leaseMs,
    (error) => storeFailed('renew leases', error),
    (runIds, expiresMs) => {
      for (const runId of runIds) active.get(runId)?.leaseRenewed(expiresMs);
    },
  );

  const scheduler = createScheduler({
    store,
    clock,
    owner,
    deliver: (timer) => {
      const driver = active.get(timer.runId);
      if (driver) return driver.fireTimer(timer);
      const pending = takeover.whenResumed(timer.runId);
      if (pending) return pending.then(() => active.get(timer.runId)?.fireTimer(timer));
      // A timer of a run we lease but do not drive (parked after a failed write): free the run for
      // the sweep rather than spin on it; if even that fails, the scheduler waits and tries again.
      return storeWrite(() => store.releaseLease(timer.runId, owner), timer.runId);
    },
    onError: (error) => storeFailed('deliver timers', error),
  });

  const childRuns = (runId: string, stepKey: string): ChildRuns => {
    const startChild = (recipeId: string, input: unknown, index = 0) =>
      engine.start(recipeId, input, { idempotencyKey: `child:${runId}:${stepKey}:${index}`, parentRunId: runId });
    return {
      start: async (recipeId, input, opts) => (await startChild(recipeId, input, opts?.index)).runId,
      run: async (recipeId, input, opts) => (await startChild(recipeId, input, opts?.index)).result(),
    };
  };

  const deps: DriverDeps = {
    store,
    bus,
    clock,
    owner,
    client: options.client,
    stepTimeoutMs: timing.stepTimeoutMs,
    maxClockSkewMs: timing.maxClockSkewMs,
    limiter,
    batcher,
    childRuns,
    leaseExpiry: () => leases.expiry(),
    timerSet: (deadlineMs) => scheduler.timerSet(deadlineMs),
    released: (driver) => {
      if (active.get(driver.runId) === driver) active.delete(driver.runId);
      endings.released(driver);
      const reason = driver.stoppedBy();
      if (closed || !reason) return;
      // Left as last committed: the lease goes, so that a resume (here or elsewhere) can take the run;
      // unless an effect may still be under way (aborted, but perhaps already sent): then the lease is
      // kept until it expires, and this engine waits as long before resuming it, as a taker-over would.
      const inFlight = driver.effectInFlight();
      if (reason.code === EngineErrorCode.StoreWriteFailed)
        takeover.park(driver.runId, inFlight ? clock.now() + leaseMs : clock.now());
      if ((reason.code === EngineErrorCode.StoreWriteFailed || reason.code === EngineErrorCode.CorruptRun) && !inFlight)
        void releaseLease(driver.runId);
    },
  };

  const assertOpen = () => {
    if (closed) throw new EngineError(EngineErrorCode.EngineClosed, 'the engine is closed');
  };

  const handleFor = (runId: string, driver?: RunDriver): RunHandle => {
    const outcome = driver ? driver.outcome : undefined;
    return {
      runId,
      result: async () => outcomeValue(runId, await (outcome ?? active.get(runId)?.outcome ?? endings.waitFor(runId))),
    };
  };

  const takeover = createRunTakeover({
    store,
    clock,
    owner,
    bus,
    registry,
    driverDeps: deps,
    active,
    secrets,
    handleFor,
    releaseLease,
    storeFailed,
  });
  const takeoverIntervalMs = options.takeoverIntervalMs ?? defaultTakeoverIntervalMs;
  const sweeper = createTakeoverSweep(clock, takeoverIntervalMs, leaseMs, () => takeover.sweep(() => closed));
  const keepingAlive = options.keepAlive ? setInterval(() => {}, 2 ** 30) : undefined;

  const engine: Engine = {
    register(...recipes) {
      for (const recipe of recipes) {
        checkStepTimeouts(recipe);
        registry.add(recipe);
      }
      // A run that waited for its recipe may be resumable now.
      takeover.recipesChanged();
      return engine as never;
    },

    async start(recipeId, input, startOptions = {}) {
      assertOpen();
      const recipe = registry.latest(recipeId);
      const parsed = recipe.input.safeParse(input);
      if (!parsed.success) {
        const issues = describeInputIssues(parsed.error.issues);
        throw new EngineError(EngineErrorCode.InvalidInput, `invalid input for ${recipe.key}: ${issues}`, {
          details: parsed.error.issues,
        });
      }
      const { idempotencyKey, runId } = startOptions;
      const existing =
        (idempotencyKey && (await store.findByIdempotencyKey(idempotencyKey))) ||
        (runId && (await store.getRun(runId)));
      if (existing) return handleFor(existing.id, active.get(existing.id));
      const id = runId ?? createRunId(clock.now());
      const vault = new RunSecrets(secrets, id);
      for (const field of recipe.secretInput ?? []) {
        const value = (parsed.data as Record<string, unknown>)[field];
        if (value !== undefined) vault.addInput(field, value);
      }
      const created = await RunDriver.create(
        deps,
        recipe,
        { id, parentId: startOptions.parentRunId ?? null, idempotencyKey: idempotencyKey ?? null },
        parsed.data,
        vault,
      );
      if (!created.created) return handleFor(created.runId, active.get(created.runId));
      const { driver } = created;
      // A run that ended within its first transition (no steps) is already released.
      if (!driver.isReleased()) active.set(id, driver);
      return handleFor(id, driver);
    },

    async resume(runId, resumeOptions = {}) {
      assertOpen();
      return takeover.resume(runId, resumeOptions.secretInput);
    },

    async resumeAll(resumeOptions = {}) {
      assertOpen();
      return takeover.resumeAll(resumeOptions);
    },

    async send(runId, event) {
      assertOpen();
      if (typeof event?.type !== 'string')
        throw new EngineError(EngineErrorCode.InvalidInput, 'an event needs a string type', { runId });
      if (!active.has(runId)) {
        const row = await store.getRun(runId);
        if (row && isTerminal(row.status))
          throw new EngineError(EngineErrorCode.RunNotActive, `run ${runId} has ended (${row.status})`, { runId });
        await takeover.resume(runId);
      }
      const driver = active.get(runId);
      if (!driver) throw new EngineError(EngineErrorCode.RunNotActive, `run ${runId} is not active`, { runId });
      await driver.send(event);
    },

    async cancel(runId) {
      assertOpen();
      const row = await store.getRun(runId);
      if (!row) throw new EngineError(EngineErrorCode.RunNotFound, `run ${runId} does not exist`, { runId });
      const at = clock.now();
      const cancelled = await storeWrite(
        () => store.cancelRun(runId, at, { seq: 0, atMs: at, type: 'run.cancelled', payloadJson: 'null' }),
        runId,
      );
      const driver = active.get(runId);
      if (driver) driver.cancelled();
      else if (cancelled) bus.emit('run:cancelled', { runId });
      return cancelled;
    },

    get: async (runId) => {
      const row = await store.getRun(runId);
      return row && toRunInfo(row);
    },
    list: async (filter = {}) =>
      (await store.listRuns({ status: filter.status, parentId: filter.parentRunId })).map(toRunInfo),
    history: async (runId) => (await store.history(runId)).map(toHistoryEntry),
    steps: async (runId) => (await store.steps(runId)).map(toStepInfo),

    // A listener's error is the listener's: it must not fail, or half-apply, the transition that emitted.
    on(name, listener) {
      const isolated = (payload: EngineEvents[typeof name]) => {
        try {
          listener(payload);
        } catch (error) {
          onListenerError(error, name);
        }
      };
      bus.on(name, isolated as never);
      return () => void bus.off(name, isolated as never);
    },

    // Each part is tried whatever failed before it: the store is always closed.
    async close() {
      if (closed) return;
      closed = true;
      sweeper.stop();
      clearInterval(keepingAlive);
      scheduler.stop();
      leases.stop();
      const closing = new EngineError(EngineErrorCode.EngineClosed, 'the engine closed');
      for (const driver of [...active.values()]) driver.detach(closing);
      // What was queued is written (its lease is still ours), and nothing reaches the store after it closes.
      await batcher.close();
      try {
        await store.releaseLeases(owner);
      } catch (error) {
        storeFailed('release leases at close (they expire by themselves)', error);
      }
      try {
        await store.close();
      } catch (error) {
        console.error(`fornex-flow: closing the store failed: ${(error as Error)?.message ?? String(error)}`);
      }
    },
  };
  if (options.recipes) engine.register(...options.recipes);
  return engine as never;
}
