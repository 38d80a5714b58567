import type { AnyMachineSnapshot } from 'xstate';
import { EngineError, EngineErrorCode } from './errors.js';
import { stepAction, stepsMetaKey } from './invoke-rewrite.js';

/** A step the transition asked for (the rewritten invoke's action, see invoke-rewrite.ts). */
export interface PlannedStep {
  invokeId: string;
  step: string;
  input: unknown;
}

/** A delayed event the transition asked for (`after`, or a delayed `raise`). */
export interface PlannedTimer {
  timerId: string;
  delayMs: number;
  event: { type: string };
}

/** The effects of one transition, as data for the outbox. */
export interface ActionPlan {
  steps: PlannedStep[];
  timers: readonly PlannedTimer[];
  cancelledTimers: readonly string[];
}

const noTimers: readonly PlannedTimer[] = Object.freeze([]);
const noIds: readonly string[] = Object.freeze([]);

interface ExecutableAction {
  type: string;
  params?: unknown;
}

/**
 * Turns the actions `transition()` returned into outbox entries: the step actions of rewritten
 * invokes, and the built-in timer effects. Nothing else matters:
 * `assign` and un-delayed `raise` are already applied inside the snapshot, and custom actions are
 * not run (they would not be durable; effects belong in steps).
 */
export function planActions(
  actions: readonly ExecutableAction[],
  runId: string,
  nextTimerSeq: () => number,
): ActionPlan {
  // Timers and cancellations are rare: their arrays start as the shared empty one, copied on first push.
  const plan: ActionPlan = { steps: [], timers: noTimers, cancelledTimers: noIds };
  for (const action of actions) {
    const params = (action.params ?? {}) as Record<string, unknown>;
    if (action.type === stepAction) {
      const { id, src, input } = params as { id?: string; src?: unknown; input?: unknown };
      if (typeof src !== 'string' || typeof id !== 'string') {
        throw new EngineError(
          EngineErrorCode.UnknownStep,
          `run ${runId}: an invoke's src must name a step of the recipe`,
          { runId },
        );
      }
      plan.steps.push({ invokeId: id, step: src, input });
    } else if (action.type === 'xstate.raise' && typeof params.delay === 'number') {
      const event = params.event as { type: string };
      const timerId = typeof params.id === 'string' ? params.id : `raise#${nextTimerSeq()}`;
      plan.timers = [...plan.timers, { timerId, delayMs: params.delay, event }];
    } else if (action.type === 'xstate.cancel' && typeof params.sendId === 'string') {
      plan.cancelledTimers = [...plan.cancelledTimers, params.sendId];
    }
  }
  return plan;
}

interface NodeWithSteps {
  meta?: Record<string, unknown>;
}

/** The step invoke ids of the snapshot's active state nodes (from their `meta`, see invoke-rewrite.ts): a step not here was cancelled by the machine. */
export function activeInvokeIds(snapshot: AnyMachineSnapshot): Set<string> {
  const ids = new Set<string>();
  if (snapshot.status !== 'active') return ids;
  // `_nodes` is xstate's list of active state nodes; the rewrite lists each node's step ids in its meta.
  for (const node of (snapshot as unknown as { _nodes: NodeWithSteps[] })._nodes) {
    for (const id of (node.meta?.[stepsMetaKey] as string[] | undefined) ?? []) ids.add(id);
  }
  return ids;
}
