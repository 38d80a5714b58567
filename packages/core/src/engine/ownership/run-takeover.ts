import type { Clock } from '../clock.js';
import type { DriverDeps } from '../driver-deps.js';
import type { EngineEventBus } from '../engine-events.js';
import { corruptRun, EngineError, EngineErrorCode, isEngineError, serializeError } from '../errors.js';
import type { Recipe } from '../recipe/define-recipe.js';
import type { RecipeRegistry } from '../recipe/registry.js';
import { RunDriver } from '../run/run-driver.js';
import { type RunInfo, toRunInfo } from '../run-info.js';
import { type EngineSecrets, RunSecrets } from '../secrets/secrets.js';
import { isTerminal, RunStatus } from '../status.js';
import { storeWriteFailed } from '../store/store-fault.js';
import type { RunRow, WorkflowStore } from '../store/types.js';
import type { SweepResult } from './takeover-sweep.js';

/** A run handle as the engine gives it out. */
export interface TakenHandle {
  runId: string;
  result(): Promise<unknown>;
}

/** What taking runs over needs from its engine. */
export interface TakeoverHost<H extends TakenHandle> {
  store: WorkflowStore;
  clock: Clock;
  owner: string;
  bus: EngineEventBus;
  registry: RecipeRegistry;
  driverDeps: DriverDeps;
  /** The runs this engine drives, by id. */
  active: Map<string, RunDriver>;
  /** The engine's secrets (its key, the values it redacts): each resumed run gets its RunSecrets from them. */
  secrets: EngineSecrets;
  handleFor(runId: string, driver?: RunDriver): H;
  /** Releases this engine's lease of a run, best effort (false when the store refused). */
  releaseLease(runId: string): Promise<boolean>;
  /** Reports a failed store operation (`store:write-failed`). */
  storeFailed(operation: string, error: unknown, runIds?: string[]): void;
}

/** Resuming stored runs: one at a time (`resume`), all of them (`resumeAll`), or those whose owner went away (`sweep`). */
export interface RunTakeover<H extends TakenHandle> {
  resume(runId: string, secretInput?: Record<string, unknown>): Promise<H>;
  resumeAll(options: {
    secretInput?: (run: RunInfo) => Record<string, unknown> | undefined;
  }): Promise<{ resumed: H[]; failed: { runId: string; error: EngineError }[] }>;
  /** One round of the takeover sweep. */
  sweep(isClosed: () => boolean): Promise<SweepResult>;
  /** The run was stopped after a failed write: the sweep resumes it (not before `notBeforeMs`) once the store writes again. */
  park(runId: string, notBeforeMs: number): void;
  /** Resolves once a resume of `runId` in progress has ended (undefined when none is). */
  whenResumed(runId: string): Promise<unknown> | undefined;
  /** New recipes were registered: runs that waited for one may be resumable now. */
  recipesChanged(): void;
}

/**
 * Creates the takeover logic of an engine. A resume takes the lease first (free, expired or
 * already ours), then loads and checks the rows; anything that fails after the lease was taken
 * releases it again, so a run is never left leased by an engine that does not drive it.
 */
export function createRunTakeover<H extends TakenHandle>(host: TakeoverHost<H>): RunTakeover<H> {
  const { store, clock, owner, bus, registry, active, handleFor, releaseLease } = host;
  const deps = host.driverDeps;
  const leases = { expiry: () => deps.leaseExpiry() };
  // Runs being resumed (lease taken, driver not yet built): a due timer of theirs waits for them.
  const resuming = new Map<string, Promise<unknown>>();
  // Runs this engine stopped driving after a failed write: the sweep resumes them once the store writes again.
  const parked = new Map<string, number>();
  // Runs the sweep could not resume for a reason that will not pass by itself (reported once).
  const unresumable = new Set<string>();

  const leasedError = (runId: string, leaseOwner: string | null, leaseExpiresMs: number | null) =>
    new EngineError(
      EngineErrorCode.RunLeased,
      `run ${runId} is leased by ${leaseOwner} until ${new Date(leaseExpiresMs ?? 0).toISOString()}; it can be taken over once that lease expires`,
      { runId, details: { leaseOwner, leaseExpiresMs } },
    );

  // Takes the lease, then rebuilds the driver; any failure after the lease was taken releases it.
  const takeOver = async (
    row: RunRow,
    recipe: Recipe,
    secretInput: Record<string, unknown> | undefined,
  ): Promise<RunDriver> => {
    const runId = row.id;
    let acquired: boolean;
    const leaseExpiresMs = leases.expiry();
    try {
      acquired = await store.acquireLease(runId, owner, leaseExpiresMs, clock.now());
    } catch (error) {
      throw storeWriteFailed(error, runId);
    }
    if (!acquired) {
      const now = await store.getRun(runId);
      if (now && isTerminal(now.status)) throw new EngineError(EngineErrorCode.RunNotActive, `run ${runId} has ended`);
      throw leasedError(runId, now?.leaseOwner ?? row.leaseOwner, now?.leaseExpiresMs ?? row.leaseExpiresMs);
    }
    try {
      const loaded = await store.loadRun(runId);
      if (!loaded) throw new EngineError(EngineErrorCode.RunNotFound, `run ${runId} does not exist`, { runId });
      // Secret inputs come from the caller; secret outputs from the journal (decrypted with the key).
      const vault = new RunSecrets(host.secrets, runId, secretInput);
      const isSecret = (step: string) => recipe.steps[step]?.secretOutput === true;
      if (Object.keys(recipe.steps).some(isSecret)) vault.learnOutputs(await store.steps(runId), isSecret);
      const driver = RunDriver.restore(deps, recipe, loaded, vault);
      active.set(runId, driver);
      parked.delete(runId);
      driver.leaseRenewed(leaseExpiresMs);
      driver.recover(loaded.timers);
      return driver;
    } catch (error) {
      await releaseLease(runId);
      throw error;
    }
  };

  const resumeRow = async (row: RunRow, secretInput: Record<string, unknown> | undefined): Promise<H> => {
    const runId = row.id;
    // Checked and claimed with no await in between: on an asynchronous store, two resumes of one run
    // (resume, resumeAll, the sweep) would otherwise both take the lease (ours) and build two drivers.
    const running = active.get(runId);
    if (running) return handleFor(runId, running);
    const inProgress = resuming.get(runId);
    if (inProgress) {
      await inProgress.catch(() => undefined);
      return resumeById(runId, secretInput);
    }
    if (isTerminal(row.status)) return handleFor(runId);
    if (row.status !== RunStatus.Running && row.status !== RunStatus.Waiting)
      throw corruptRun(runId, 'status', new Error(`unknown run status "${row.status}"`));
    const recipe = registry.exact(row.recipeId, row.recipeVersion, runId);
    const taking = takeOver(row, recipe, secretInput);
    resuming.set(runId, taking);
    try {
      return handleFor(runId, await taking);
    } finally {
      resuming.delete(runId);
    }
  };

  // A run being resumed meanwhile is waited for by resumeRow, which checks again after the read.
  const resumeById = async (runId: string, secretInput?: Record<string, unknown>): Promise<H> => {
    const running = active.get(runId);
    if (running) return handleFor(runId, running);
    const row = await store.getRun(runId);
    if (!row) throw new EngineError(EngineErrorCode.RunNotFound, `run ${runId} does not exist`, { runId });
    return resumeRow(row, secretInput);
  };

  // Takes over runs whose owner went away: leases that expired, and runs this engine parked after a failed write.
  const sweep = async (isClosed: () => boolean): Promise<SweepResult> => {
    let result: SweepResult = 'ok';
    let ids: string[];
    try {
      const now = clock.now();
      const due = [...parked].filter(([, notBeforeMs]) => notBeforeMs <= now).map(([runId]) => runId);
      ids = [...due, ...(await store.claimableRuns(now, 100))];
    } catch (error) {
      host.storeFailed('look for runs to take over', error);
      return 'store-failed';
    }
    for (const runId of new Set(ids)) {
      if (isClosed()) break;
      if (active.has(runId) || resuming.has(runId) || unresumable.has(runId)) continue;
      try {
        await resumeById(runId);
      } catch (error) {
        if (isEngineError(error, EngineErrorCode.StoreWriteFailed)) {
          result = 'store-failed';
          break;
        }
        parked.delete(runId);
        // Another engine was quicker, or the run ended meanwhile: nothing to report.
        if (isEngineError(error, EngineErrorCode.RunLeased) || isEngineError(error, EngineErrorCode.RunNotActive))
          continue;
        unresumable.add(runId);
        // A recipe this engine does not know belongs to another kind of engine; anything else is news.
        if (
          !isEngineError(error, EngineErrorCode.RecipeVersionNotRegistered) &&
          !isEngineError(error, EngineErrorCode.UnknownRecipe)
        )
          bus.emit('run:takeover-failed', { runId, error: serializeError(error) });
      }
    }
    return result;
  };

  const resumeAll: RunTakeover<H>['resumeAll'] = async (resumeOptions) => {
    const resumed: H[] = [];
    const failed: { runId: string; error: EngineError }[] = [];
    const now = clock.now();
    for (const lease of await store.unfinishedRuns()) {
      const { runId } = lease;
      try {
        const driver = active.get(runId);
        if (driver) {
          resumed.push(handleFor(runId, driver));
          continue;
        }
        // Leased by a live owner: say by whom and until when (it may be a dead process whose lease has not expired yet).
        const leasedElsewhere =
          lease.leaseOwner !== null && lease.leaseOwner !== owner && (lease.leaseExpiresMs ?? 0) >= now;
        if (leasedElsewhere && (lease.status === RunStatus.Running || lease.status === RunStatus.Waiting)) {
          failed.push({ runId, error: leasedError(runId, lease.leaseOwner, lease.leaseExpiresMs) });
          continue;
        }
        const row = await store.getRun(runId);
        if (!row) continue;
        const secretInput = resumeOptions.secretInput?.(toRunInfo(row));
        resumed.push(await resumeRow(row, secretInput));
      } catch (error) {
        if (!(error instanceof EngineError)) throw error;
        failed.push({ runId, error });
      }
    }
    return { resumed, failed };
  };

  return {
    resume: resumeById,
    resumeAll,
    sweep,
    park: (runId, notBeforeMs) => void parked.set(runId, notBeforeMs),
    whenResumed: (runId) => resuming.get(runId),
    recipesChanged: () => unresumable.clear(),
  };
}
