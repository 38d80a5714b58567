import { EventEmitter } from 'eventemitter3';
import type { SerializedError } from './errors.js';
import type { RunStatus } from './status.js';

/** The payload of every engine event, by name. Secrets show as `[REDACTED]`, as the store shows them: only `result()` delivers them. */
export interface EngineEvents {
  'run:started': { runId: string; recipeId: string; version: string; parentRunId: string | null };
  'run:transition': { runId: string; event: string; state: unknown; status: RunStatus };
  'step:started': { runId: string; stepKey: string; step: string; attempt: number };
  'step:succeeded': {
    runId: string;
    stepKey: string;
    step: string;
    attempt: number;
    output: unknown;
    replayed: boolean;
  };
  'step:failed': { runId: string; stepKey: string; step: string; attempt: number; error: SerializedError };
  'step:retrying': {
    runId: string;
    stepKey: string;
    step: string;
    attempt: number;
    delayMs: number;
    error: SerializedError;
  };
  'timer:set': { runId: string; timerId: string; deadlineMs: number };
  'run:waiting': { runId: string; state: unknown };
  'run:completed': { runId: string; output: unknown };
  'run:failed': { runId: string; error: SerializedError };
  'run:cancelled': { runId: string };
  /** A store write failed (full disk, read-only file, I/O error): the calls it concerned were rejected, the runs are as last committed. */
  'store:write-failed': { operation: string; runIds: string[]; error: SerializedError };
  /** The takeover sweep could not resume a run whose lease had expired (reported once per run). */
  'run:takeover-failed': { runId: string; error: SerializedError };
}

/** Name of an engine event. */
export type EngineEventName = keyof EngineEvents;

/** The events about one run (its lifecycle, steps and timers): everything but the engine's store faults. */
export const runEventNames = [
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
  'run:takeover-failed',
] as const satisfies readonly EngineEventName[];

type Listeners = { [K in EngineEventName]: (payload: EngineEvents[K]) => void };

/** The typed event bus every engine owns. */
export class EngineEventBus extends EventEmitter<Listeners> {}

/** Creates an engine event bus. */
export function createEventBus(): EngineEventBus {
  return new EngineEventBus();
}
