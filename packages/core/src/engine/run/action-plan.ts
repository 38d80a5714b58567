import type { AnyMachineSnapshot } from 'xstate';
import { EngineError, EngineErrorCode } from '../errors.js';
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
export function planActions(actions: readonly ExecutableAction[], runId: string, historySeq: number): ActionPlan {
  // Timers and cancellations are rare: their arrays start as the shared empty one, copied on first push.
  const plan: ActionPlan = { steps: [], timers: noTimers, cancelledTimers: noIds };
  let anonymous = 0;
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
      // Without an id: named after the transition's history seq, which is stored, so a resumed run never reuses one.
      const timerId = typeof params.id === 'string' ? params.id : `raise#${historySeq}.${++anonymous}`;
      plan.timers = [...withoutTimer(plan.timers, timerId), { timerId, delayMs: params.delay, event }];
    } else if (action.type === 'xstate.cancel' && typeof params.sendId === 'string') {
      // XState defers both to the end of the macrostep and runs them in order: a timer this same
      // transition set (entry of a state it then left) is cancelled before it exists, so it is never stored.
      plan.timers = withoutTimer(plan.timers, params.sendId);
      plan.cancelledTimers = [...plan.cancelledTimers, params.sendId];
    }
  }
  return plan;
}

// The planned timers minus `timerId` (the same array when it is not there: the common case allocates nothing).
function withoutTimer(timers: readonly PlannedTimer[], timerId: string): readonly PlannedTimer[] {
  return timers.some((t) => t.timerId === timerId) ? timers.filter((t) => t.timerId !== timerId) : timers;
}

interface NodeWithSteps {
  meta?: Record<string, unknown>;
}

// `_nodes` is xstate's list of active state nodes; the rewrite lists each node's step ids in its meta.
const activeNodes = (snapshot: AnyMachineSnapshot) => (snapshot as unknown as { _nodes: NodeWithSteps[] })._nodes;

/**
 * The steps the transition really starts, as XState would: a step whose invoking state was left
 * again within the same macrostep (an `always`, a `raise`) is not started, and of an invoke
 * entered several times only the last entry's step is (XState stops a child that never started).
 */
export function startedSteps(planned: PlannedStep[], next: AnyMachineSnapshot): PlannedStep[] {
  if (planned.length === 0) return planned;
  if (next.status !== 'active') return [];
  // One planned step whose state is still active is the common case (every step of a chain): no allocation.
  if (planned.length === 1) return isInvokeActive(next, (planned[0] as PlannedStep).invokeId) ? planned : [];
  return planned.filter(
    (step, i) =>
      !planned.some((later, j) => j > i && later.invokeId === step.invokeId) && isInvokeActive(next, step.invokeId),
  );
}

function isInvokeActive(snapshot: AnyMachineSnapshot, invokeId: string): boolean {
  for (const node of activeNodes(snapshot)) {
    const ids = node.meta?.[stepsMetaKey] as string[] | undefined;
    if (ids?.includes(invokeId)) return true;
  }
  return false;
}

/** The step invoke ids of the snapshot's active state nodes (from their `meta`, see invoke-rewrite.ts): a step not here was cancelled by the machine. */
export function activeInvokeIds(snapshot: AnyMachineSnapshot): Set<string> {
  const ids = new Set<string>();
  if (snapshot.status !== 'active') return ids;
  for (const node of activeNodes(snapshot)) {
    for (const id of (node.meta?.[stepsMetaKey] as string[] | undefined) ?? []) ids.add(id);
  }
  return ids;
}
