import { sqliteStore } from '@fornex-flow/sqlite';
import { describe, expect, it } from 'vitest';
import { assign, createMachine, raise } from 'xstate';
import { z } from 'zod';
import { type Clock, createEngine, defineRecipe } from '../../src/engine/index.js';
import { makeEngine, tempDbPath } from './helpers.js';
import { type Command, runOnEngine, runOnXState, type Trace } from './parity-drivers.js';
import { buildMachine, type StateSpec } from './parity-machine.js';

/** A state spec with defaults: atomic, no actions, no transitions. */
function state(id: string, spec: Partial<StateSpec> = {}): StateSpec {
  return { id, type: 'atomic', children: [], entry: [], exit: [], on: {}, ...spec };
}

/** A compound root over `children` (the first is initial). */
function root(...children: StateSpec[]): StateSpec {
  return state('root', { type: 'compound', children });
}

/** Runs the spec under the engine and under XState; both traces, compared by the caller. */
async function both(spec: StateSpec, commands: readonly Command[]): Promise<{ engine: Trace; xstate: Trace }> {
  const machine = buildMachine(spec);
  const [engine, xstate] = [await runOnEngine(machine, commands), await runOnXState(machine, commands)];
  return { engine, xstate };
}

describe('parity with XState: a state entered and left within one macrostep', () => {
  it('starts no step when `always` leaves the invoking state at once', async () => {
    const spec = root(
      state('s1', {
        invoke: { src: 'alpha', onDone: { actions: [] }, onError: { actions: [] } },
        always: { target: 's2', actions: [] },
      }),
      state('s2'),
    );
    const { engine, xstate } = await both(spec, [{ kind: 'advance', ms: 10 }]);
    expect(xstate.started).toEqual([]);
    expect(engine).toEqual(xstate);
  });

  it('keeps no `after` timer of a state `always` left at once', async () => {
    const spec = root(
      state('s1', {
        after: { delayMs: 10, transition: { target: 's3', actions: [] } },
        always: { target: 's2', actions: [] },
      }),
      state('s2'),
      state('s3'),
    );
    const { engine, xstate } = await both(spec, [{ kind: 'advance', ms: 50 }]);
    expect(xstate.value).toBe('s2');
    expect(engine).toEqual(xstate);
  });

  it('never fires `raise(..., { id, delay })` cancelled on exit when a raised event leaves the state', async () => {
    const spec = root(
      state('s1', {
        timer: { event: 'R1', delayMs: 10 },
        entry: [{ kind: 'raise', event: 'R2' }],
        on: { R2: { target: 's2', actions: [] } },
      }),
      state('s2', { on: { R1: { target: 's3', actions: [] } } }),
      state('s3'),
    );
    const { engine, xstate } = await both(spec, [{ kind: 'advance', ms: 50 }]);
    expect(xstate.value).toBe('s2');
    expect(engine).toEqual(xstate);
  });

  it('starts the step of the last entry only when the invoking state is left and entered again in one macrostep', async () => {
    const spec = root(
      state('s1', { on: { A: { target: 's2', actions: [] } } }),
      state('s2', {
        invoke: { src: 'alpha', onDone: { actions: [] }, onError: { actions: [] } },
        always: { target: 's3', guard: 'small', actions: [] },
      }),
      state('s3', { always: { target: 's2', actions: [] } }),
    );
    const { engine, xstate } = await both(spec, [
      { kind: 'send', event: 'A' },
      { kind: 'settle', index: 0, ok: true, value: 7 },
    ]);
    expect(xstate.started).toEqual([{ src: 'alpha', input: { n: 4, at: 's2' } }]);
    expect(engine).toEqual(xstate);
  });
});

// Shrunk counterexamples of parity.property.test.ts, kept as they were found.
describe('parity with XState: found by the property test', () => {
  it('does not deliver a due timer that the timer due with it cancelled (root and child `after` at the same deadline)', async () => {
    // At 10 ms both are due; the root's fires first and re-enters s1, which cancels s1's timer and sets a new one.
    const loop = { delayMs: 10, transition: { target: 's0', actions: [] } };
    const spec = state('s0', { type: 'compound', after: loop, children: [state('s1', { after: loop })] });
    const { engine, xstate } = await both(spec, [{ kind: 'advance', ms: 50 }]);
    expect(engine).toEqual(xstate);
  });

  it('fires every id-less delayed raise of a root re-entered by `always`, in the order they were set, each 10 ms', async () => {
    // Seven re-entries at start: seven R1 timers and one `after` due together at 10 ms, then one of each every 10 ms.
    const again = { target: 's0', reenter: true, actions: [] };
    const spec = state('s0', {
      type: 'compound',
      entry: [{ kind: 'raiseDelayed', event: 'R1', delayMs: 10 }],
      after: { delayMs: 10, transition: again },
      always: again,
      children: [state('s1')],
    });
    const { engine, xstate } = await both(spec, [{ kind: 'advance', ms: 50 }]);
    expect(xstate.delivered.filter((type) => type === 'R1')).toHaveLength(11);
    expect(engine).toEqual(xstate);
  });

  it('restarts all three nested invokes each time an `after` re-enters the root (21 steps, 18 of them cancelled)', async () => {
    // Found with steps that ignored their abort signal: the engine's 16 concurrency slots filled up.
    // Steps that honour their signal free the slot; XState has no such limit.
    const invoke = { src: 'alpha' as const, onDone: { actions: [] }, onError: { actions: [] } };
    const spec = state('s0', {
      type: 'compound',
      invoke,
      after: { delayMs: 10, transition: { target: 's0', reenter: true, actions: [] } },
      children: [
        state('s1', {
          type: 'compound',
          invoke,
          children: [state('s2', { type: 'compound', invoke, children: [state('s3')] })],
        }),
      ],
    });
    const advance = { kind: 'advance', ms: 20 } as const;
    const { engine, xstate } = await both(spec, [advance, advance, advance]);
    expect(xstate.started).toHaveLength(21);
    expect(engine).toEqual(xstate);
  });

  it('diverges, as documented, when a delayed raise reuses the id of a timer still pending', async () => {
    // XState schedules the second without clearing the first (both fire); the engine's timer of that id is replaced.
    const machine = createMachine({
      context: { n: 0, marks: [], out: [] },
      on: {
        A: { actions: raise({ type: 'R1' }, { id: 'x', delay: 10 }) },
        R1: { actions: assign({ n: ({ context }) => context.n + 1 }) },
      },
    });
    const commands = [
      { kind: 'send', event: 'A' },
      { kind: 'advance', ms: 5 },
      { kind: 'send', event: 'A' },
      { kind: 'advance', ms: 20 },
    ] as const;
    const [engine, xstate] = [await runOnEngine(machine, commands), await runOnXState(machine, commands)];
    expect(xstate.delivered).toEqual(['A', 'A', 'R1', 'R1']);
    expect(engine.delivered).toEqual(['A', 'A', 'R1']);
  });

  it('diverges, as documented, on a transition to the root that does not re-enter it', async () => {
    // XState runs the root's entry again without its exit: a new invoke starts each time while the
    // old ones keep running. The engine keeps one step per invoke: the last one.
    const spec = state('s0', {
      type: 'compound',
      invoke: { src: 'alpha', onDone: { actions: [] }, onError: { actions: [] } },
      children: [state('s1', { always: { target: 's0', actions: [] } })],
    });
    const { engine, xstate } = await both(spec, []);
    expect(xstate.started).toHaveLength(7);
    expect(engine.started).toEqual([{ src: 'alpha', input: { n: 6, at: 's0' } }]);
    expect({ ...engine, started: [] }).toEqual({ ...xstate, started: [] });
  });
});

/** A clock whose due callbacks run synchronously when told, so a test can put a timer delivery between two commits. */
function manualClock(): Clock & { fireDue(atMs: number): void } {
  let nowMs = 0;
  let nextId = 0;
  const timers = new Map<number, { atMs: number; callback: () => void }>();
  return {
    now: () => nowMs,
    setTimeout: (callback, delayMs) => {
      timers.set(++nextId, { atMs: nowMs + delayMs, callback });
      return nextId;
    },
    clearTimeout: (handle) => void timers.delete(handle as number),
    fireDue(atMs) {
      nowMs = atMs;
      for (const [id, timer] of [...timers]) {
        if (timer.atMs > atMs) continue;
        timers.delete(id);
        timer.callback();
      }
    },
  };
}

describe('parity with XState: timers of states already left', () => {
  it('does not deliver an `after` timer whose state was re-entered while the timer waited its turn', async () => {
    const clock = manualClock();
    const engine = createEngine({ store: sqliteStore({ path: tempDbPath(), checkpoint: 'inline' }), clock });
    const machine = createMachine({
      initial: 'waiting',
      states: {
        waiting: { after: { 100: 'late' }, on: { AGAIN: { target: 'waiting', reenter: true } } },
        late: {},
      },
    });
    engine.register(
      defineRecipe({ id: 'again', version: 1, description: 'd', input: z.object({}), machine, steps: {} }),
    );
    const { runId } = await engine.start('again', {});
    // The event re-enters the state (a new 100 ms timer); before its commit lands, the old timer falls
    // due and the scheduler reads its row: XState cancelled it on exit, so it must not fire.
    const sent = engine.send(runId, { type: 'AGAIN' });
    clock.fireDue(100);
    await sent;
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect((await engine.get(runId))?.state).toBe('waiting');
    expect((await engine.history(runId)).map((entry) => entry.type)).toEqual(['run.started', 'event']);
    await engine.close();
  });
});

describe('step keys: one visit per started step, the same after a restart', () => {
  const machine = createMachine({
    context: { n: 0 },
    initial: 'idle',
    states: {
      idle: { on: { GO: 'bounce' } },
      bounce: { entry: assign({ n: ({ context }) => context.n + 1 }), always: 'work' },
      // Entered three times by the first GO (n = 1, 2, 3), once by the second (n = 4).
      work: {
        invoke: { id: 'job', src: 'job', input: ({ context }) => context.n, onDone: 'idle' },
        always: { guard: ({ context }) => context.n < 3, target: 'bounce' },
      },
    },
  });
  const recipe = defineRecipe({
    id: 'visits',
    version: 1,
    description: 'one invoke entered several times in a macrostep',
    input: z.object({}),
    machine,
    steps: { job: { idempotent: true, run: ({ input }) => input } },
  });

  it('numbers only the steps that start, so a resumed run continues with the keys a continuous one uses', async () => {
    const dbPath = tempDbPath();
    const first = makeEngine(dbPath).engine;
    first.register(recipe);
    const { runId } = await first.start('visits', {});
    await first.send(runId, { type: 'GO' });
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect((await first.steps(runId)).map((s) => [s.stepKey, s.input, s.status])).toEqual([['job#1', 3, 'succeeded']]);
    await first.close();
    const second = makeEngine(dbPath).engine;
    second.register(recipe);
    await second.resume(runId);
    await second.send(runId, { type: 'GO' });
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
    expect((await second.steps(runId)).map((s) => [s.stepKey, s.input])).toEqual([
      ['job#1', 3],
      ['job#2', 4],
    ]);
    await second.close();
  });
});

describe('delayed events without an id, across a restart', () => {
  it('keeps a pending one when the resumed run raises another (their timer ids never repeat)', async () => {
    const machine = createMachine({
      context: { ticks: 0 },
      on: { TICK: { actions: assign({ ticks: ({ context }) => context.ticks + 1 }) } },
      initial: 'first',
      states: {
        first: { entry: raise({ type: 'TICK' }, { delay: 100 }), on: { GO: 'second' } },
        second: { entry: raise({ type: 'TICK' }, { delay: 50 }) },
      },
    });
    const recipe = defineRecipe({ id: 'ticks', version: 1, description: 'd', input: z.object({}), machine, steps: {} });
    const dbPath = tempDbPath();
    const first = makeEngine(dbPath).engine;
    first.register(recipe);
    const { runId } = await first.start('ticks', {});
    await first.close();
    const { engine: second, clock } = makeEngine(dbPath);
    second.register(recipe);
    await second.resume(runId);
    await second.send(runId, { type: 'GO' });
    await clock.advance(200);
    expect((await second.history(runId)).filter((entry) => entry.type === 'timer')).toHaveLength(2);
    await second.close();
  });
});
