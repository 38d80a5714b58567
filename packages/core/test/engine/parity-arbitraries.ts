import fc from 'fast-check';
import type { Command } from './parity-drivers.js';
import {
  type ActionSpec,
  externalEvents,
  type GuardSpec,
  raisedEvents,
  type StateSpec,
  type TransitionSpec,
} from './parity-machine.js';

/** The tree of a machine before ids and behaviour: atomic, final, compound or parallel nodes. */
interface Shape {
  kind: StateSpec['type'];
  children: Shape[];
}

const leaf = (kind: 'atomic' | 'final') => fc.constant<Shape>({ kind, children: [] });

const shapes = fc.letrec<{ node: Shape; compound: Shape; parallel: Shape }>((tie) => ({
  // At the depth limit fast-check takes the first choice: an atomic state.
  node: fc.oneof(
    { maxDepth: 3, depthIdentifier: 'tree' },
    { arbitrary: leaf('atomic'), weight: 4 },
    { arbitrary: leaf('final'), weight: 1 },
    { arbitrary: tie('compound'), weight: 2 },
    { arbitrary: tie('parallel'), weight: 1 },
  ),
  compound: fc.record({
    kind: fc.constant<'compound'>('compound'),
    children: fc.array(tie('node'), { minLength: 1, maxLength: 3, depthIdentifier: 'tree' }),
  }),
  // Regions of a parallel state are compound states.
  parallel: fc.record({
    kind: fc.constant<'parallel'>('parallel'),
    children: fc.array(tie('compound'), { minLength: 2, maxLength: 2, depthIdentifier: 'tree' }),
  }),
}));

const delays = fc.constantFrom(10, 20, 30);
const raised = fc.constantFrom(...raisedEvents);

// State references are indices, taken modulo the number of states once the tree is known (no chain: better shrinking).
type Ref = number;
type RawAction = ActionSpec | { kind: 'cancelTimer'; state: Ref };
interface RawTransition extends Omit<TransitionSpec, 'target' | 'actions'> {
  target?: Ref;
  actions: RawAction[];
}

const actionArb: fc.Arbitrary<RawAction> = fc.oneof(
  fc.constant({ kind: 'inc' as const }),
  fc.constantFrom('a', 'b', 'c').map((tag) => ({ kind: 'mark' as const, tag })),
  raised.map((event) => ({ kind: 'raise' as const, event })),
  fc.record({ kind: fc.constant('raiseDelayed' as const), event: raised, delayMs: delays }),
  fc.nat(20).map((state) => ({ kind: 'cancelTimer' as const, state })),
);

const transitionArb: fc.Arbitrary<RawTransition> = fc.record(
  {
    target: fc.nat(20),
    guard: fc.constantFrom<GuardSpec>('even', 'odd', 'small'),
    reenter: fc.boolean(),
    actions: fc.array(actionArb, { maxLength: 2 }),
  },
  { requiredKeys: ['actions'] },
);

type Feature =
  | { kind: 'on'; event: keyof StateSpec['on']; transition: RawTransition }
  | { kind: 'always'; transition: RawTransition }
  | { kind: 'after'; delayMs: number; transition: RawTransition }
  | { kind: 'timer'; event: 'R1' | 'R2'; delayMs: number }
  | { kind: 'invoke'; src: 'alpha' | 'beta'; onDone: RawTransition; onError: RawTransition }
  | { kind: 'entry' | 'exit'; action: RawAction };

const featureArb: fc.Arbitrary<Feature> = fc.oneof(
  fc.record({
    kind: fc.constant('on' as const),
    event: fc.constantFrom(...externalEvents, ...raisedEvents),
    transition: transitionArb,
  }),
  fc.record({ kind: fc.constant('always' as const), transition: transitionArb }),
  fc.record({ kind: fc.constant('after' as const), delayMs: delays, transition: transitionArb }),
  fc.record({ kind: fc.constant('timer' as const), event: raised, delayMs: delays }),
  fc.record({
    kind: fc.constant('invoke' as const),
    src: fc.constantFrom('alpha' as const, 'beta' as const),
    onDone: transitionArb,
    onError: transitionArb,
  }),
  fc.record({ kind: fc.constantFrom('entry' as const, 'exit' as const), action: actionArb }),
);

function toSpec(shape: Shape, ids: { next: number }): StateSpec {
  const id = `s${ids.next++}`;
  const children = shape.children.map((child) => toSpec(child, ids));
  return { id, type: shape.kind, children, entry: [], exit: [], on: {} };
}

function decorate(root: StateSpec, features: readonly { at: number; feature: Feature }[]): StateSpec {
  const all: StateSpec[] = [];
  const walk = (s: StateSpec) => {
    all.push(s);
    s.children.forEach(walk);
  };
  walk(root);
  const ref = (r: Ref) => (all[r % all.length] as StateSpec).id;
  const action = (a: RawAction): ActionSpec =>
    a.kind === 'cancelTimer' ? { kind: 'cancelTimer', state: ref(a.state as Ref) } : a;
  const transition = (t: RawTransition): TransitionSpec => {
    const target = t.target === undefined ? undefined : ref(t.target);
    // XState runs the root's entry again, without its exit, on a transition to the root that does not
    // re-enter it (its invokes start twice): a divergence the docs state; the grammar re-enters the root.
    const reenter = t.reenter || target === root.id || undefined;
    return { ...t, target, reenter, actions: t.actions.map(action) };
  };
  for (const { at, feature } of features) {
    const s = all[at % all.length] as StateSpec;
    if (feature.kind === 'entry' || feature.kind === 'exit') {
      s[feature.kind].push(action(feature.action));
      continue;
    }
    if (s.type === 'final') continue; // a final state only runs entry and exit actions
    if (feature.kind === 'on') s.on[feature.event] = transition(feature.transition);
    else if (feature.kind === 'always') s.always = transition(feature.transition);
    else if (feature.kind === 'after')
      s.after = { delayMs: feature.delayMs, transition: transition(feature.transition) };
    else if (feature.kind === 'timer') s.timer = { event: feature.event, delayMs: feature.delayMs };
    else if (feature.kind === 'invoke')
      s.invoke = { src: feature.src, onDone: transition(feature.onDone), onError: transition(feature.onError) };
  }
  return root;
}

/** Random machines of the grammar: a compound root, nested and parallel states, each with random behaviour. */
export const machineSpecs: fc.Arbitrary<StateSpec> = fc
  .tuple(
    fc.array(shapes.node, { minLength: 1, maxLength: 3 }),
    fc.array(fc.record({ at: fc.nat(20), feature: featureArb }), { maxLength: 10 }),
  )
  .map(([children, features]) => decorate(toSpec({ kind: 'compound', children }, { next: 0 }), features));

/** Random command sequences: external events, step results (success or failure) and time passing. */
export const commandLists: fc.Arbitrary<Command[]> = fc.array(
  fc.oneof(
    fc.constantFrom(...externalEvents).map((event): Command => ({ kind: 'send', event })),
    fc.record({ kind: fc.constant('settle' as const), index: fc.nat(3), ok: fc.boolean(), value: fc.nat(9) }),
    fc.record({ kind: fc.constant('advance' as const), ms: fc.constantFrom(5, 10, 20, 50) }),
  ),
  { maxLength: 12 },
);
