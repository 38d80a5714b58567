import type { Engine, EngineEventName, EngineEvents } from '@fornex-flow/core';

/** One thing a reporter shows: an engine event, or the CLI's own `run:left` (left to a worker). */
export type FeedEvent =
  | { [K in EngineEventName]: { name: K; atMs: number; payload: EngineEvents[K] } }[EngineEventName]
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

const names: EngineEventName[] = [
  'run:started',
  'run:transition',
  'step:started',
  'step:succeeded',
  'step:failed',
  'step:retrying',
  'timer:set',
  'run:waiting',
  'run:completed',
  'run:failed',
  'run:cancelled',
];

/** Forwards every engine event to `sink`; returns the unsubscribe function. */
export function feedEngine(engine: Engine, sink: (event: FeedEvent) => void): () => void {
  const offs = names.map((name) =>
    engine.on(name, (payload: EngineEvents[typeof name]) => sink({ name, atMs: Date.now(), payload } as FeedEvent)),
  );
  return () => {
    for (const off of offs) off();
  };
}
