import type { DrivenRun, RunOutcome } from './driver-deps.js';
import type { EngineEventBus, EngineEvents } from './engine-events.js';
import { outcomeOfRow } from './run-info.js';
import { type EngineSecrets, RunSecrets } from './secrets/secrets.js';
import type { WorkflowStore } from './store/types.js';

/** How `result()` learns the end of a run this engine did not start: from the store, or when it ends here. */
export interface RunEndings {
  /** How `runId` ended: as stored if it has, else once this engine sees it end (it may resume it later). */
  waitFor(runId: string): Promise<RunOutcome>;
  /** A driver let go of its run: wakes the run's waiters with its outcome, output in clear. */
  released(driver: DrivenRun): void;
}

/** Creates the end watch of one engine; a completion comes from the driver, as events show outputs redacted. */
export function createRunEndings(bus: EngineEventBus, store: WorkflowStore, secrets: EngineSecrets): RunEndings {
  const waiters = new Map<string, Set<(outcome: RunOutcome) => void>>();

  return {
    async waitFor(runId) {
      let finish!: (outcome: RunOutcome) => void;
      const ended = new Promise<RunOutcome>((resolve) => {
        finish = resolve;
      });
      // Listening before reading: a run that ends while the store answers is not missed.
      const own = waiters.get(runId) ?? new Set();
      waiters.set(runId, own.add(finish));
      const failed = (e: EngineEvents['run:failed']) =>
        e.runId === runId && finish({ status: 'failed', error: e.error });
      const cancelled = (e: EngineEvents['run:cancelled']) => e.runId === runId && finish({ status: 'cancelled' });
      bus.on('run:failed', failed);
      bus.on('run:cancelled', cancelled);
      try {
        const row = await store.getRun(runId);
        const readOutput = secrets.cipher && ((json: string) => new RunSecrets(secrets, runId).decode(json));
        const done = row && outcomeOfRow(row, readOutput);
        if (done) finish(done);
        return await ended;
      } finally {
        own.delete(finish);
        if (own.size === 0) waiters.delete(runId);
        bus.off('run:failed', failed);
        bus.off('run:cancelled', cancelled);
      }
    },
    released(driver) {
      const outcome = driver.endedWith;
      if (!outcome || outcome.status === 'released') return;
      for (const wake of waiters.get(driver.runId) ?? []) wake(outcome);
    },
  };
}
