import type { ProgressHint } from '../follow/progress-hints.js';
import { readableError } from './error-text.js';
import type { EarlierStep, FeedEvent } from './feed.js';

/** A step of a followed run, one line per step name (a loop's visits share it). */
export interface StepView {
  name: string;
  visits: number;
  status: 'running' | 'retrying' | 'succeeded' | 'failed';
  attempt: number;
  startedMs: number;
  endedMs: number | null;
  /** Done before this process followed the run (its time is not known here). */
  earlier?: boolean;
}

/** The child runs of one recipe under a followed run: the fan-out bar. */
export interface FanOut {
  recipeId: string;
  started: Set<string>;
  ended: Set<string>;
  failed: number;
}

/** A fan-out inside the run's own steps (see ProgressHint): `orders 12/30`. */
export interface Counted {
  label: string;
  done: number;
  total: number | null;
}

/** A followed (root) run. */
export interface RunView {
  runId: string;
  recipeId: string;
  status: string;
  startedMs: number;
  endedMs: number | null;
  steps: Map<string, StepView>;
  fanOuts: Map<string, FanOut>;
  counted: Counted | null;
  /** Pending timers by id (deadline); fired ones drop out by their deadline passing. */
  timers: Map<string, number>;
  error: string | null;
}

/** A timer's name from its id (`xstate.after.poll.(machine).waiting` -> `poll`). */
export function timerNameOf(timerId: string): string {
  const match = /^xstate\.after\.([^.]+)\./.exec(timerId);
  return match?.[1] ?? timerId;
}

/** The run's next pending timer after `nowMs`, if any. */
export function nextTimer(run: RunView, nowMs: number): { name: string; dueMs: number } | null {
  let next: { name: string; dueMs: number } | null = null;
  for (const [id, dueMs] of run.timers)
    if (dueMs > nowMs && (!next || dueMs < next.dueMs)) next = { name: timerNameOf(id), dueMs };
  return next;
}

/** What a reporter knows of the runs it follows: built from the feed, rendered by the live and plain views. */
export class RunTree {
  readonly roots = new Map<string, RunView>();
  /** child run id -> its root, for runs below a followed one. */
  private readonly rootOf = new Map<string, string>();
  private readonly childRecipe = new Map<string, string>();

  constructor(private readonly hints: Readonly<Record<string, ProgressHint>> = {}) {}

  follow(
    runId: string,
    recipeId: string,
    children: { runId: string; recipeId: string; ended: boolean }[] = [],
    earlier: EarlierStep[] = [],
  ): void {
    const isNew = !this.roots.has(runId);
    if (isNew) {
      this.roots.set(runId, {
        runId,
        recipeId,
        status: 'running',
        startedMs: Date.now(),
        endedMs: null,
        steps: new Map(),
        fanOuts: new Map(),
        counted: null,
        timers: new Map(),
        error: null,
      });
    }
    for (const child of children) {
      const fan = this.attachChild(runId, child.runId, child.recipeId);
      if (child.ended) fan?.ended.add(child.runId);
    }
    if (!isNew) return;
    const root = this.roots.get(runId)!;
    // A resumed run: what its steps did before this process, so lines and bars start where it stood.
    for (const step of earlier) {
      if (step.status !== 'succeeded' && step.status !== 'failed') continue;
      const seen = root.steps.get(step.step);
      root.steps.set(step.step, {
        name: step.step,
        visits: (seen?.visits ?? 0) + 1,
        status: step.status,
        attempt: step.attempt,
        startedMs: step.updatedMs,
        endedMs: step.updatedMs,
        earlier: true,
      });
      if (step.status === 'succeeded') this.count(root, step.step, step.output);
    }
  }

  private attachChild(rootId: string, runId: string, recipeId: string): FanOut | undefined {
    const root = this.roots.get(rootId);
    if (!root) return undefined;
    this.rootOf.set(runId, rootId);
    this.childRecipe.set(runId, recipeId);
    let fan = root.fanOuts.get(recipeId);
    if (!fan) {
      fan = { recipeId, started: new Set(), ended: new Set(), failed: 0 };
      root.fanOuts.set(recipeId, fan);
    }
    fan.started.add(runId);
    return fan;
  }

  /** The root a run belongs to, and whether it is a child. */
  locate(runId: string): { root: RunView; child: FanOut | null } | undefined {
    const direct = this.roots.get(runId);
    if (direct) return { root: direct, child: null };
    const rootId = this.rootOf.get(runId);
    const root = rootId ? this.roots.get(rootId) : undefined;
    const recipe = this.childRecipe.get(runId);
    if (!root || !recipe) return undefined;
    return { root, child: root.fanOuts.get(recipe) ?? null };
  }

  /** Counts a step's output toward the run's bar when its recipe has a progress hint. */
  private count(root: RunView, step: string, output: unknown): void {
    const hint = this.hints[root.recipeId];
    if (!hint) return;
    root.counted ??= { label: hint.label, done: 0, total: null };
    if (step === hint.totalStep) root.counted.total = hint.total(output) ?? root.counted.total;
    if (step === hint.doneStep) root.counted.done += hint.done(output) ?? 0;
  }

  /** Applies an event; returns where it landed (undefined: not a run this tree follows). */
  apply(event: FeedEvent): { root: RunView; child: FanOut | null } | undefined {
    if (event.name === 'run:started') {
      const { parentRunId, runId, recipeId } = event.payload;
      const parentRoot = parentRunId
        ? this.roots.has(parentRunId)
          ? parentRunId
          : this.rootOf.get(parentRunId)
        : null;
      if (parentRoot) this.attachChild(parentRoot, runId, recipeId);
    }
    const at = this.locate(event.payload.runId);
    if (!at) return undefined;
    const { root, child } = at;
    if (child) {
      const ended = event.name === 'run:completed' || event.name === 'run:failed' || event.name === 'run:cancelled';
      if (ended && !child.ended.has(event.payload.runId)) {
        child.ended.add(event.payload.runId);
        if (event.name !== 'run:completed') child.failed += 1;
      }
      return at;
    }
    const now = event.atMs;
    switch (event.name) {
      case 'step:started': {
        const name = event.payload.step;
        const step = root.steps.get(name);
        if (step && step.status !== 'running' && step.status !== 'retrying') step.visits += 1;
        root.steps.set(name, {
          name,
          visits: step?.visits ?? 1,
          status: 'running',
          attempt: event.payload.attempt,
          startedMs: step?.status === 'retrying' ? step.startedMs : now,
          endedMs: null,
        });
        break;
      }
      case 'step:succeeded':
      case 'step:failed': {
        const name = event.payload.step;
        const step = root.steps.get(name) ?? {
          name,
          visits: 1,
          status: 'running',
          attempt: event.payload.attempt,
          startedMs: now,
          endedMs: null,
        };
        step.status = event.name === 'step:succeeded' ? 'succeeded' : 'failed';
        step.attempt = event.payload.attempt;
        step.endedMs = now;
        root.steps.set(name, step);
        if (event.name === 'step:succeeded') this.count(root, name, event.payload.output);
        break;
      }
      case 'step:retrying': {
        const step = root.steps.get(event.payload.step);
        if (step) step.status = 'retrying';
        break;
      }
      case 'timer:set':
        root.timers.set(event.payload.timerId, event.payload.deadlineMs);
        break;
      case 'run:waiting':
        root.status = 'waiting';
        break;
      case 'run:transition':
        root.status = event.payload.status;
        break;
      case 'run:completed':
      case 'run:cancelled':
        root.status = event.name === 'run:completed' ? 'completed' : 'cancelled';
        root.endedMs = now;
        break;
      case 'run:failed':
        root.status = 'failed';
        root.error = readableError(event.payload.error.message);
        root.endedMs = now;
        break;
      default:
        break;
    }
    return at;
  }
}
