import type { AnyMachineSnapshot, EventObject } from 'xstate';
import { corruptRun } from '../errors.js';
import type { Recipe } from '../recipe/define-recipe.js';
import type { RunSecrets } from '../secrets/secrets.js';
import { TimerKind } from '../status.js';
import type { PendingStep } from '../steps/step-runner.js';
import type { LoadedRun, TimerRow } from '../store/types.js';
import { pendingFromRow } from './run-rows.js';
import { restoreSnapshot } from './snapshot-codec.js';

/** A stored run read back for its driver: the machine's snapshot and the steps left open. */
export interface RestoredRun {
  snapshot: AnyMachineSnapshot;
  openSteps: PendingStep[];
}

/**
 * Reads a stored run's rows for a new driver; CORRUPT_RUN when they cannot be read or do not fit
 * the recipe (a step it does not have, a timer that does not parse), SECRET_UNAVAILABLE when they
 * need a secret this engine cannot have. Checked here, so that a corrupt run is refused before
 * anything runs rather than failing, or hanging, later.
 */
export function readStoredRun(recipe: Recipe, loaded: LoadedRun, vault: RunSecrets): RestoredRun {
  const { run } = loaded;
  learnSecrets(loaded, vault);
  const snapshot = restoreSnapshot(recipe.machine, run.snapshotJson, run.id, (json) => vault.decode(json));
  const openSteps = loaded.openSteps.map((row) => {
    if (!Object.hasOwn(recipe.steps, row.step))
      throw corruptRun(run.id, `step ${row.stepKey}`, new Error(`recipe ${recipe.key} has no step "${row.step}"`));
    return pendingFromRow(row, loaded.timers, vault, run.id);
  });
  for (const timer of loaded.timers) if (timer.kind !== TimerKind.Retry) timerEvent(run.id, vault, timer);
  vault.assertAvailable();
  return { snapshot, openSteps };
}

/** A due timer's event; CORRUPT_RUN when its stored payload is not an event. */
export function timerEvent(runId: string, vault: RunSecrets, timer: TimerRow): EventObject {
  let event: EventObject;
  try {
    event = vault.decode(timer.payloadJson) as EventObject;
  } catch (error) {
    throw corruptRun(runId, `timer ${timer.timerId}`, error);
  }
  if (typeof event?.type !== 'string')
    throw corruptRun(runId, `timer ${timer.timerId}`, new Error('its payload is not an event'));
  return event;
}

// Before the snapshot is read: the run's secret inputs (needed again, or supplied), so that text
// quoting them is caught after a restart too. Timer payloads are decoded now only to find out
// early whether they need a secret we lack.
function learnSecrets(loaded: LoadedRun, vault: RunSecrets): void {
  const { run } = loaded;
  let what = 'input';
  try {
    vault.decode(run.inputJson);
    what = 'timers';
    for (const timer of loaded.timers) if (timer.kind === TimerKind.Event) vault.decode(timer.payloadJson);
  } catch (error) {
    throw corruptRun(run.id, what, error);
  }
}
