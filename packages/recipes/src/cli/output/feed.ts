import { type Engine, type EngineEvents, runEventNames } from '@fornex-flow/core';

/** One thing a reporter shows: an engine event, or the CLI's own `run:left` (left to a worker). */
export type FeedEvent =
  | { [K in RunEventName]: { name: K; atMs: number; payload: EngineEvents[K] } }[RunEventName]
  | { name: 'run:left'; atMs: number; payload: { runId: string; reason: string; dueMs: number | null } };

/** A step row of a resumed run, as the store has it. */
export interface EarlierStep {
  step: string;
  status: string;
  attempt: number;
  output: unknown;
  updatedMs: number;
}

/** Shows what runs do. Each output mode (live, plain, NDJSON) is one of these. */
export interface Reporter {
  /** Starts following a run (a started or resumed root; its children are found by their parent id). */
  follow(run: {
    runId: string;
    recipeId: string;
    children?: { runId: string; recipeId: string; ended: boolean }[];
    /** A resumed run's steps so far. */
    earlier?: EarlierStep[];
  }): void;
  event(event: FeedEvent): void;
  /** A message for the person (stderr in NDJSON mode, so stdout stays events only). */
  info(line: string): void;
  /** Stops any animation; the terminal is left as plain text. */
  stop(): void;
}

const names = runEventNames;

/** The engine events about one run (each carries its `runId`): what reporters show. */
export type RunEventName = (typeof names)[number];

/**
 * Forwards every run event to `sink`, and a failed database write to `warn` as one line;
 * returns the unsubscribe function.
 */
export function feedEngine(
  engine: Engine,
  sink: (event: FeedEvent) => void,
  warn?: (line: string) => void,
): () => void {
  const offs = names.map((name) =>
    engine.on(name, (payload: EngineEvents[typeof name]) => sink({ name, atMs: Date.now(), payload } as FeedEvent)),
  );
  if (warn)
    offs.push(
      engine.on('store:write-failed', (e) =>
        warn(
          `fornex-flow: the database could not be written (${e.operation}): ${e.error.message}; the runs are as last saved`,
        ),
      ),
    );
  return () => {
    for (const off of offs) off();
  };
}

/** Feeds a reporter from an engine: each root run that starts is followed, every run event shown. */
export function feedReporter(engine: Engine, reporter: Reporter, warn: (line: string) => void): () => void {
  return feedEngine(
    engine,
    (event) => {
      if (event.name === 'run:started' && event.payload.parentRunId === null)
        reporter.follow({ runId: event.payload.runId, recipeId: event.payload.recipeId });
      reporter.event(event);
    },
    warn,
  );
}
