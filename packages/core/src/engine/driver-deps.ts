import type { Clock } from './clock.js';
import type { EngineEventBus } from './engine-events.js';
import type { EngineError, SerializedError } from './errors.js';
import type { ChildRuns } from './recipe/define-recipe.js';
import { RunStatus } from './status.js';
import type { ConcurrencyLimiter } from './steps/concurrency.js';
import type { CommitBatcher } from './store/commit-batcher.js';
import type { WorkflowStore } from './store/types.js';

/** The run driver as its engine sees it (an interface, so this file never imports the driver back). */
export interface DrivenRun {
  readonly runId: string;
  /** Why the engine stopped driving a run that had not ended (LEASE_LOST, STORE_WRITE_FAILED, CORRUPT_RUN, ENGINE_CLOSED). */
  stoppedBy(): EngineError | undefined;
  /** True while a non-idempotent step's effect may be under way (its `started` marker written, no result). */
  effectInFlight(): boolean;
  /** How the run ended here, secrets in clear (for `result()`); set before `released` is called. */
  readonly endedWith: RunOutcome | undefined;
}

/** What a run driver needs from its engine. */
export interface DriverDeps {
  store: WorkflowStore;
  bus: EngineEventBus;
  clock: Clock;
  owner: string;
  client: unknown;
  /** The deadline of a step attempt that sets no `timeoutMs`, and the clock-skew margin (see step-deadline.ts). */
  stepTimeoutMs: number;
  maxClockSkewMs: number;
  limiter: ConcurrencyLimiter;
  batcher: CommitBatcher;
  childRuns(runId: string, stepKey: string): ChildRuns;
  /** The lease expiry to write for a lease taken now. */
  leaseExpiry(): number;
  /** Tells the scheduler a timer is due at `deadlineMs`. */
  timerSet(deadlineMs: number): void;
  /** The run left this engine: finished, cancelled, its lease lost, a write failed or a row was corrupt. */
  released(driver: DrivenRun): void;
}

/** How a run ended, as far as this engine saw it. */
export type RunOutcome =
  | { status: typeof RunStatus.Completed; output: unknown }
  | { status: typeof RunStatus.Failed; error: SerializedError }
  | { status: typeof RunStatus.Cancelled }
  | { status: 'released'; error: EngineError };

/**
 * Tells listeners how a run ended (`run:completed`, `run:failed`, `run:cancelled`); a run that only
 * left this engine is not news. The output as `shown` shows it: listeners never see a secret.
 */
export function emitRunEnded(
  bus: EngineEventBus,
  runId: string,
  outcome: RunOutcome,
  shown: (output: unknown) => unknown,
): void {
  if (outcome.status === RunStatus.Completed) {
    if (bus.listenerCount('run:completed') > 0) bus.emit('run:completed', { runId, output: shown(outcome.output) });
  } else if (outcome.status === RunStatus.Failed) bus.emit('run:failed', { runId, error: outcome.error });
  else if (outcome.status === RunStatus.Cancelled) bus.emit('run:cancelled', { runId });
}
