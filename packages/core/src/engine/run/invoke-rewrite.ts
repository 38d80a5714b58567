import { type AnyStateMachine, createMachine } from 'xstate';

/** The custom action that stands for a step invoke in a rewritten machine. */
export const stepAction = 'fornex-flow.step';
/** The state-node `meta` key listing the step invoke ids of that node. */
export const stepsMetaKey = 'fornex-flow.steps';

type Config = Record<string, unknown>;

interface ResolvedNode {
  config: Config;
  invoke: ReadonlyArray<{ id: string }>;
  states: Record<string, ResolvedNode>;
}

const toArray = <T>(value: T | readonly T[] | undefined): T[] =>
  value === undefined ? [] : Array.isArray(value) ? [...value] : [value as T];

function rewriteNode(node: ResolvedNode): Config {
  const config: Config = { ...node.config };
  const invokes = toArray<Config>(node.config.invoke as Config | Config[] | undefined);
  if (invokes.length > 0) {
    const entry = toArray(config.entry);
    const on: Config = { ...((config.on as Config | undefined) ?? {}) };
    const ids: string[] = [];
    invokes.forEach((invoke, i) => {
      // The id xstate gave the invoke (its own default when the author gave none): step keys use it.
      const id = node.invoke[i]?.id ?? String(invoke.id);
      const { src, input } = invoke;
      ids.push(id);
      entry.push({
        type: stepAction,
        params: (args: { context: unknown; event: unknown }) => ({
          id,
          src,
          input: typeof input === 'function' ? input({ ...args, self: undefined }) : input,
        }),
      });
      if (invoke.onDone !== undefined) on[`xstate.done.actor.${id}`] = invoke.onDone;
      if (invoke.onError !== undefined) on[`xstate.error.actor.${id}`] = invoke.onError;
    });
    config.entry = entry;
    config.on = on;
    config.meta = { ...((config.meta as Config | undefined) ?? {}), [stepsMetaKey]: ids };
    delete config.invoke;
  }
  if (node.config.states) {
    config.states = Object.fromEntries(Object.entries(node.states).map(([key, child]) => [key, rewriteNode(child)]));
  }
  return config;
}

/**
 * Rewrites every step invoke of a machine into what xstate does for it minus the child actor: an
 * entry action carrying the step's id, src and input, and `onDone`/`onError` as transitions on
 * `xstate.done.actor.<id>` / `xstate.error.actor.<id>`. Same states, same events, same step ids;
 * why: the engine runs steps itself, and the child actor xstate builds for each invoke was most of
 * a pure transition's cost (13.4 us a step with invokes, 2.9 us rewritten, see docs/engine.md).
 */
export function rewriteInvokes(machine: AnyStateMachine): AnyStateMachine {
  const config = rewriteNode(machine.root as unknown as ResolvedNode);
  const implementations = machine.implementations as { actions?: Record<string, unknown> };
  return createMachine(
    config as never,
    {
      ...implementations,
      // The engine reads the action from the transition's list; xstate only needs it to exist.
      actions: { ...(implementations.actions ?? {}), [stepAction]: () => {} },
    } as never,
  );
}
