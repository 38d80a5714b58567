import { type AnyStateMachine, assign, cancel, createMachine, raise } from 'xstate';

/** Events the test sends from outside. */
export const externalEvents = ['A', 'B', 'C'] as const;
/** Events only the machine raises (at once or delayed); transitions on them are bounded (see `bounded`). */
export const raisedEvents = ['R1', 'R2'] as const;
type ExternalEvent = (typeof externalEvents)[number];
type RaisedEvent = (typeof raisedEvents)[number];
type EventName = ExternalEvent | RaisedEvent;

/** An action of the grammar: assign, raise (at once or delayed, without id) or cancel of a state's timer. */
export type ActionSpec =
  | { kind: 'inc' }
  | { kind: 'mark'; tag: string }
  | { kind: 'raise'; event: RaisedEvent }
  | { kind: 'raiseDelayed'; event: RaisedEvent; delayMs: number }
  | { kind: 'cancelTimer'; state: string };

/** A guard of the grammar, on the counter `n`. */
export type GuardSpec = 'even' | 'odd' | 'small';

/** A transition: `target` is a state id (`#id`), none for a targetless one. */
export interface TransitionSpec {
  target?: string;
  guard?: GuardSpec;
  reenter?: boolean;
  actions: ActionSpec[];
}

/** A state node of a generated machine; every node has a unique id. */
export interface StateSpec {
  id: string;
  type: 'atomic' | 'compound' | 'parallel' | 'final';
  children: StateSpec[];
  entry: ActionSpec[];
  exit: ActionSpec[];
  on: Partial<Record<EventName, TransitionSpec>>;
  always?: TransitionSpec;
  after?: { delayMs: number; transition: TransitionSpec };
  /** `raise(event, { id: 'timer.<id>', delay })` on entry, `cancel('timer.<id>')` on exit. */
  timer?: { event: RaisedEvent; delayMs: number };
  invoke?: { src: 'alpha' | 'beta'; onDone: TransitionSpec; onError: TransitionSpec };
}

/** The machine's context: a counter, the marks its actions left and the outcomes of its invokes. */
export interface ParityContext {
  n: number;
  marks: string[];
  out: unknown[];
}

/** Raised events and `always` can loop: their transitions only fire while `n` is below this, and each increments it. */
export const loopBound = 6;

type Args = { context: ParityContext; event: { type: string; output?: unknown; error?: { message?: string } } };

const timerId = (state: string) => `timer.${state}`;

function action(spec: ActionSpec): unknown {
  switch (spec.kind) {
    case 'inc':
      return assign({ n: ({ context }: Args) => context.n + 1 });
    case 'mark':
      return assign({ marks: ({ context }: Args) => [...context.marks, spec.tag] });
    case 'raise':
      return raise({ type: spec.event });
    case 'raiseDelayed':
      return raise({ type: spec.event }, { delay: spec.delayMs });
    case 'cancelTimer':
      return cancel(timerId(spec.state));
  }
}

const guards: Record<GuardSpec, (n: number) => boolean> = {
  even: (n) => n % 2 === 0,
  odd: (n) => n % 2 === 1,
  small: (n) => n < 3,
};

function transition(spec: TransitionSpec, bounded: boolean, extra: unknown[] = []): Record<string, unknown> {
  const guard = spec.guard === undefined ? undefined : guards[spec.guard];
  const actions = [...spec.actions.map(action), ...extra];
  if (bounded) actions.unshift(action({ kind: 'inc' }));
  const config: Record<string, unknown> = { actions };
  if (spec.target !== undefined) config.target = `#${spec.target}`;
  if (spec.reenter) config.reenter = true;
  if (guard || bounded)
    config.guard = ({ context }: Args) => (!bounded || context.n < loopBound) && (!guard || guard(context.n));
  return config;
}

function node(spec: StateSpec): Record<string, unknown> {
  const config: Record<string, unknown> = { id: spec.id };
  if (spec.type === 'final') config.type = 'final';
  if (spec.type === 'parallel') config.type = 'parallel';
  const entry = spec.entry.map(action);
  const exit = spec.exit.map(action);
  if (spec.timer) {
    entry.push(raise({ type: spec.timer.event }, { id: timerId(spec.id), delay: spec.timer.delayMs }));
    exit.push(cancel(timerId(spec.id)));
  }
  if (entry.length > 0) config.entry = entry;
  if (exit.length > 0) config.exit = exit;
  const on: Record<string, unknown> = {};
  for (const [event, t] of Object.entries(spec.on))
    on[event] = transition(t, (raisedEvents as readonly string[]).includes(event));
  if (Object.keys(on).length > 0) config.on = on;
  if (spec.always) config.always = transition(spec.always, true);
  if (spec.after) config.after = { [spec.after.delayMs]: transition(spec.after.transition, false) };
  if (spec.invoke) {
    const record = (value: (event: Args['event']) => unknown) =>
      assign({ out: ({ context, event }: Args) => [...context.out, value(event)] });
    config.invoke = {
      id: `inv.${spec.id}`,
      src: spec.invoke.src,
      input: ({ context }: Args) => ({ n: context.n, at: spec.id }),
      onDone: transition(spec.invoke.onDone, false, [record((event) => event.output)]),
      onError: transition(spec.invoke.onError, false, [record((event) => `error:${event.error?.message}`)]),
    };
  }
  if (spec.children.length > 0) {
    config.states = Object.fromEntries(spec.children.map((child) => [child.id, node(child)]));
    if (spec.type === 'compound') config.initial = spec.children[0]?.id;
  }
  return config;
}

/** Builds the XState machine of a spec (the root is a compound state). */
export function buildMachine(root: StateSpec): AnyStateMachine {
  return createMachine({
    ...node(root),
    context: { n: 0, marks: [], out: [] } satisfies ParityContext,
  } as never);
}

/** Every state id of a spec, in document order. */
export function stateIds(root: StateSpec): string[] {
  return [root.id, ...root.children.flatMap(stateIds)];
}
