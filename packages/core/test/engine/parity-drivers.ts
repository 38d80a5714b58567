import { sqliteStore } from '@fornex-flow/sqlite';
import Database from 'better-sqlite3';
import { type AnyStateMachine, createActor, fromPromise, SimulatedClock } from 'xstate';
import { z } from 'zod';
import { createEngine, createFakeClock, defineRecipe, type StepDefinition } from '../../src/engine/index.js';
import { tempDbPath } from './helpers.js';

/** What the test does to a run: send an event, settle the i-th open step, or let time pass. */
export type Command =
  | { kind: 'send'; event: string }
  | { kind: 'settle'; index: number; ok: boolean; value: number }
  | { kind: 'advance'; ms: number };

/** What a run did, compared between the engine and XState. */
export interface Trace {
  /** Every step started, in order, with its input. */
  started: { src: string; input: unknown }[];
  /** Every event the machine received (sent, step results, delayed events), in order. */
  delivered: string[];
  status: string;
  value: unknown;
  context: unknown;
}

interface OpenStep {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/** The steps of one run, started in order; the test settles them by their index among the open ones. */
class StepBook {
  readonly started: Trace['started'] = [];
  private readonly open: OpenStep[] = [];

  start(src: string, input: unknown, signal: AbortSignal): Promise<unknown> {
    this.started.push({ src, input });
    return new Promise((resolve, reject) => {
      const step: OpenStep = { resolve, reject };
      this.open.push(step);
      // A step that honours its signal ends when aborted (and frees its slot of the engine's `concurrency`).
      const abort = () => {
        this.remove(step);
        reject(new Error('aborted'));
      };
      signal.addEventListener('abort', abort, { once: true });
    });
  }

  settle(command: Extract<Command, { kind: 'settle' }>): void {
    if (this.open.length === 0) return;
    const step = this.open[command.index % this.open.length] as OpenStep;
    this.remove(step);
    if (command.ok) step.resolve(command.value);
    else step.reject(new Error(`failed ${command.value}`));
  }

  private remove(step: OpenStep): void {
    const at = this.open.indexOf(step);
    if (at >= 0) this.open.splice(at, 1);
  }
}

const macrotask = () => new Promise<void>((resolve) => setImmediate(resolve));
const sources = ['alpha', 'beta'] as const;

interface InvokeNode {
  invoke: { src: unknown }[];
  states: Record<string, InvokeNode>;
}

// The steps the machine invokes: a recipe must define exactly those.
function invokedSources(machine: AnyStateMachine): string[] {
  const found = new Set<string>();
  const walk = (node: InvokeNode) => {
    for (const invoke of node.invoke) found.add(String(invoke.src));
    Object.values(node.states).forEach(walk);
  };
  walk(machine.root as unknown as InvokeNode);
  return [...found];
}

/** Runs the machine under the engine: real SQLite file, fake clock, steps whose results the commands decide. */
export async function runOnEngine(machine: AnyStateMachine, commands: readonly Command[]): Promise<Trace> {
  const dbPath = tempDbPath();
  const clock = createFakeClock(0);
  const engine = createEngine({ store: sqliteStore({ path: dbPath, checkpoint: 'inline' }), clock });
  const book = new StepBook();
  let activity = 0;
  const step = (src: string): StepDefinition => ({
    idempotent: true,
    run: ({ input, signal }) => {
      activity++;
      return book.start(src, input, signal);
    },
  });
  const recipe = defineRecipe({
    id: 'parity',
    version: 1,
    description: 'a generated machine',
    input: z.object({}),
    machine,
    steps: Object.fromEntries(invokedSources(machine).map((src) => [src, step(src)])),
  });
  engine.register(recipe);
  const delivered: string[] = [];
  let ended = false;
  engine.on('run:transition', (e) => {
    activity++;
    if (e.event !== 'xstate.init') delivered.push(e.event);
  });
  for (const name of ['run:completed', 'run:failed'] as const) engine.on(name, () => (ended = true));
  // Quiet means a few turns of the event loop with no transition and no step started.
  const quiet = async () => {
    for (let seen = -1; seen !== activity; ) {
      seen = activity;
      for (let i = 0; i < 4; i++) await macrotask();
    }
  };
  // Time stops at each deadline until the engine is idle, as XState's simulated clock runs each fired
  // timer's macrostep at once: later timers then count from that deadline, not from a later moment.
  const deadlines = new Set<number>();
  engine.on('timer:set', (e) => deadlines.add(e.deadlineMs));
  const advance = async (ms: number) => {
    const target = clock.now() + ms;
    for (;;) {
      const next = Math.min(...[...deadlines].filter((d) => d > clock.now()));
      if (next > target) break;
      await clock.advance(next - clock.now());
      await quiet();
    }
    await clock.advance(target - clock.now());
  };
  const { runId } = await engine.start('parity', {});
  await quiet();
  for (const command of commands) {
    if (ended) break;
    if (command.kind === 'send') await engine.send(runId, { type: command.event });
    else if (command.kind === 'settle') book.settle(command);
    else await advance(command.ms);
    await quiet();
  }
  await engine.close();
  const db = new Database(dbPath, { readonly: true });
  // The current snapshot as the store defines it: the newest history row's, else the run row's.
  const row = db
    .prepare(`SELECT coalesce((SELECT h.snapshot_json FROM history h WHERE h.run_id = runs.id ORDER BY h.seq DESC LIMIT 1),
      snapshot_json) AS json FROM runs WHERE id = ?`)
    .get(runId) as { json: string };
  db.close();
  const snapshot = JSON.parse(row.json) as { context: unknown; value: unknown; status: string };
  return {
    started: book.started,
    delivered,
    status: snapshot.status,
    value: snapshot.value,
    context: snapshot.context,
  };
}

/** Runs the same machine with XState's own actor: fromPromise invokes, a SimulatedClock stepped deadline by deadline. */
export async function runOnXState(machine: AnyStateMachine, commands: readonly Command[]): Promise<Trace> {
  const book = new StepBook();
  const clock = new SimulatedClock();
  const actors = Object.fromEntries(
    sources.map((src) => [src, fromPromise(({ input, signal }) => book.start(src, input, signal))]),
  );
  const delivered: string[] = [];
  const actor = createActor(machine.provide({ actors } as never), {
    clock,
    inspect: (event) => {
      if (event.type !== '@xstate.event' || event.actorRef !== actor) return;
      if (actor.getSnapshot().status !== 'active' || event.event.type === 'xstate.init') return;
      delivered.push(event.event.type);
    },
  });
  // An unhandled `xstate.error.actor.*` ends the actor in status 'error' (as the engine's run): an observer keeps it from being thrown.
  actor.subscribe({ error: () => {} });
  actor.start();
  const timeouts = (clock as unknown as { timeouts: Map<number, { start: number; timeout: number }> }).timeouts;
  // Like the engine's fake clock: each deadline on the way is reached in turn, so later timers count from it.
  const advance = async (ms: number) => {
    const target = clock.now() + ms;
    for (;;) {
      let next = Number.POSITIVE_INFINITY;
      for (const t of timeouts.values()) next = Math.min(next, t.start + t.timeout);
      if (next > target) break;
      clock.set(Math.max(next, clock.now()));
      await macrotask();
    }
    clock.set(target);
  };
  await macrotask();
  for (const command of commands) {
    if (actor.getSnapshot().status !== 'active') break;
    if (command.kind === 'send') actor.send({ type: command.event });
    else if (command.kind === 'settle') book.settle(command);
    else await advance(command.ms);
    for (let i = 0; i < 4; i++) await macrotask();
  }
  const snapshot = actor.getSnapshot();
  actor.stop();
  const { context, value, status } = JSON.parse(JSON.stringify(snapshot)) as Trace;
  return { started: book.started, delivered, status, value, context };
}
