import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sqliteStore } from '@fornex-flow/sqlite';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import {
  createEngine,
  createFakeClock,
  defineRecipe,
  type Engine,
  type EngineEventName,
  type EngineEvents,
  type EngineOptions,
  stepActor,
} from '../../src/engine/index.js';

/** A fresh temp dir with a database path in it. */
export function tempDbPath(name = 'runs.db'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-engine-'));
  return path.join(dir, name);
}

/** An engine over a real SQLite file, with a fake clock unless one is given. */
export function makeEngine(dbPath: string, options: Partial<EngineOptions> = {}) {
  const clock = createFakeClock(1_000_000);
  const engine = createEngine({ store: sqliteStore({ path: dbPath }), clock, ...options });
  return { engine, clock };
}

/** Resolves with the first event `name` whose payload matches. */
export function nextEvent<K extends EngineEventName>(
  engine: Engine,
  name: K,
  match: (payload: EngineEvents[K]) => boolean = () => true,
): Promise<EngineEvents[K]> {
  return new Promise((resolve) => {
    const off = engine.on(name, (payload) => {
      if (!match(payload)) return;
      off();
      resolve(payload);
    });
  });
}

/** Every string in every file of the database (main file and WAL). */
export function databaseBytes(dbPath: string): string {
  const dir = path.dirname(dbPath);
  return fs
    .readdirSync(dir)
    .filter((file) => file.startsWith(path.basename(dbPath)))
    .map((file) => fs.readFileSync(path.join(dir, file)).toString('latin1'))
    .join('\n');
}

/** Side effects of the test recipes, counted per step name. */
export const effects = new Map<string, number>();
const count = (name: string) => effects.set(name, (effects.get(name) ?? 0) + 1);

/** Two steps around a durable 60 s `after` delay: `first` -> sleep -> `second` -> done. */
export const sleepyRecipe = defineRecipe({
  id: 'sleepy',
  version: 1,
  description: 'two steps around a one-minute timer',
  input: z.object({ name: z.string() }),
  machine: setup({
    types: { input: {} as { name: string }, context: {} as { name: string; first?: string; second?: string } },
    actors: { first: stepActor<string, { name: string }>(), second: stepActor<string, { name: string }>() },
  }).createMachine({
    id: 'sleepy',
    context: ({ input }) => ({ name: input.name }),
    initial: 'first',
    states: {
      first: {
        invoke: {
          id: 'first',
          src: 'first',
          input: ({ context }) => ({ name: context.name }),
          onDone: { target: 'sleeping', actions: assign({ first: ({ event }) => event.output }) },
        },
      },
      sleeping: { after: { 60000: 'second' }, on: { WAKE: 'second' } },
      second: {
        invoke: {
          id: 'second',
          src: 'second',
          input: ({ context }) => ({ name: context.name }),
          onDone: { target: 'done', actions: assign({ second: ({ event }) => event.output }) },
        },
      },
      done: { type: 'final' },
    },
    output: ({ context }) => ({ first: context.first, second: context.second }),
  }),
  steps: {
    first: {
      idempotent: true,
      run: ({ input }) => {
        count('first');
        return `hello ${(input as { name: string }).name}`;
      },
    },
    second: {
      idempotent: true,
      run: ({ input }) => {
        count('second');
        return `bye ${(input as { name: string }).name}`;
      },
    },
  },
});
