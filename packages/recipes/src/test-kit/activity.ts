import type { Recipe, StepDefinition } from '@fornex-flow/core';

/** Counts the steps in flight, so the test kit knows when a fired timer's consequences are over. */
export interface ActivityTracker {
  /** The recipe with every step's `run` and `reconcile` counted (same id, version, machine). */
  track(recipe: Recipe): Recipe;
  /** Notes that something happened (an engine event): the quiet period starts over. */
  touch(): void;
  /** Resolves once no step is in flight and `quietTurns` event-loop turns passed with nothing new. */
  idle(): Promise<void>;
}

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Creates a tracker. A step that stays in flight longer than `stepWaitMs` of real time (a hung
 * request waiting for a timeout of the virtual clock) no longer holds time back.
 */
export function createActivityTracker(options: { quietTurns?: number; stepWaitMs?: number } = {}): ActivityTracker {
  const quietTurns = options.quietTurns ?? 20;
  const stepWaitMs = options.stepWaitMs ?? 10_000;
  let inFlight = 0;
  let ticks = 0;
  let waiters: (() => void)[] = [];
  const done = () => {
    inFlight--;
    ticks++;
    if (inFlight === 0) for (const wake of [...waiters]) wake();
  };
  const counted =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    async (...args: A): Promise<Awaited<R>> => {
      inFlight++;
      ticks++;
      try {
        return await fn(...args);
      } finally {
        done();
      }
    };
  const noSteps = () =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        waiters = waiters.filter((waiter) => waiter !== wake);
        resolve();
      };
      const timer = setTimeout(wake, stepWaitMs);
      waiters.push(wake);
    });
  return {
    track(recipe) {
      const steps: Record<string, StepDefinition> = {};
      for (const [name, step] of Object.entries(recipe.steps)) {
        steps[name] = {
          ...step,
          run: counted(step.run.bind(step)),
          ...(step.reconcile ? { reconcile: counted(step.reconcile.bind(step)) } : {}),
        };
      }
      return Object.freeze({ ...recipe, steps });
    },
    touch() {
      ticks++;
    },
    async idle() {
      let quiet = 0;
      let seen = ticks;
      while (quiet < quietTurns) {
        await turn();
        if (inFlight > 0) {
          await noSteps();
          if (inFlight > 0) return; // stepWaitMs passed: let time move
        }
        if (ticks !== seen) {
          seen = ticks;
          quiet = 0;
        } else quiet++;
      }
    },
  };
}
