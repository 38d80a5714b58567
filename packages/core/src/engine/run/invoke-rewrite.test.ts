import { describe, expect, it } from 'vitest';
import { assign, type EventObject, fromPromise, setup } from 'xstate';
import { rewriteInvokes, stepAction } from './invoke-rewrite.js';
import { createTransitioner, type TransitionAction } from './pure-transition.js';

const placeholder = fromPromise(() => new Promise<never>(() => {}));

// A machine that uses what recipes use: ids given and defaulted, several invokes in one state,
// nested and parallel states, static and computed inputs, guarded onDone arrays, onError.
const original = setup({
  types: { context: {} as { n: number; log: string[] }, input: {} as { start: number } },
  actors: { add: placeholder, check: placeholder, audit: placeholder },
}).createMachine({
  id: 'sample',
  context: ({ input }) => ({ n: input.start, log: [] }),
  initial: 'adding',
  states: {
    adding: {
      invoke: {
        id: 'add',
        src: 'add',
        input: ({ context, event }) => ({ n: context.n, cause: event.type }),
        onDone: [
          { guard: ({ event }) => event.output === 'again', target: 'adding', reenter: true },
          { target: 'checking', actions: assign({ n: ({ context }) => context.n + 1 }) },
        ],
        onError: 'failed',
      },
    },
    checking: {
      type: 'parallel',
      states: {
        left: {
          invoke: [
            { src: 'check', input: 'static' },
            { id: 'audit', src: 'audit' },
          ],
        },
        right: {
          initial: 'idle',
          states: { idle: { on: { GO: 'busy' } }, busy: { invoke: { id: 'deep', src: 'check' } } },
        },
      },
      on: { STOP: 'done' },
    },
    failed: { type: 'final' },
    done: { type: 'final' },
  },
});

const rewritten = rewriteInvokes(original);

/** The steps a transition asked for, whichever way the machine expresses them. */
function steps(actions: readonly TransitionAction[]) {
  return actions
    .filter((a) => a.type === stepAction || a.type === 'xstate.spawnChild') // spawnChild: the original machine's invokes
    .map((a) => {
      const { id, src, input } = a.params as { id: string; src: string; input: unknown };
      return { id, src, input };
    });
}

function runBoth(events: EventObject[]) {
  const a = createTransitioner(original);
  const b = createTransitioner(rewritten);
  let [sa, actionsA] = a.initial({ start: 5 });
  let [sb, actionsB] = b.initial({ start: 5 });
  const trace = [{ value: sb.value, context: sb.context, steps: steps(actionsB) }];
  expect(sb.value).toEqual(sa.value);
  expect(steps(actionsB)).toEqual(steps(actionsA));
  for (const event of events) {
    [sa, actionsA] = a.next(sa, event);
    [sb, actionsB] = b.next(sb, event);
    expect(sb.value, event.type).toEqual(sa.value);
    expect(sb.context, event.type).toEqual(sa.context);
    expect(sb.status, event.type).toBe(sa.status);
    expect(steps(actionsB), event.type).toEqual(steps(actionsA));
    trace.push({ value: sb.value, context: sb.context, steps: steps(actionsB) });
  }
  return trace;
}

describe('rewriteInvokes', () => {
  it('asks for the same steps, with the same ids and inputs, and moves through the same states', () => {
    const trace = runBoth([
      { type: 'xstate.done.actor.add', output: 'again' } as EventObject,
      { type: 'xstate.done.actor.add', output: 'ok' } as EventObject,
      { type: 'GO' },
      { type: 'STOP' },
    ]);
    expect(trace[0]?.steps).toEqual([{ id: 'add', src: 'add', input: { n: 5, cause: 'xstate.init' } }]);
    // Re-entering asks for the step again; its input sees the event that caused the entry.
    expect(trace[1]?.steps).toEqual([{ id: 'add', src: 'add', input: { n: 5, cause: 'xstate.done.actor.add' } }]);
    // Two invokes in one state, one with xstate's default id, the static input kept.
    expect(trace[2]?.steps.map((s) => s.src)).toEqual(['check', 'audit']);
    expect(trace[2]?.steps[0]?.input).toBe('static');
    expect(trace[2]?.context).toEqual({ n: 6, log: [] });
    expect(trace[3]?.steps).toEqual([{ id: 'deep', src: 'check', input: undefined }]);
    expect(trace[4]?.value).toBe('done');
  });

  it('routes step errors to onError', () => {
    const trace = runBoth([{ type: 'xstate.error.actor.add', error: { message: 'no' } } as EventObject]);
    expect(trace.at(-1)?.value).toBe('failed');
  });

  it('creates no child actors: the snapshot has no children', () => {
    const [snapshot] = createTransitioner(rewritten).initial({ start: 1 });
    expect(Object.keys(snapshot.children)).toEqual([]);
    const [withInvoke] = createTransitioner(original).initial({ start: 1 });
    expect(Object.keys(withInvoke.children)).toEqual(['add']);
  });
});
