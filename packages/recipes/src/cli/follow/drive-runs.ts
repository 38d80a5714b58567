import type { Engine, RunHandle } from '@fornex-flow/core';
import type { CommandContext } from '../command-context.js';
import { type OpenedEngine, openEngine, releaseDeadOwners } from '../engine/open-engine.js';
import { ExitCode } from '../exit-codes.js';
import { progressHintsOf } from '../input/recipe-source.js';
import { createReporter, outputModeOf } from '../output/create-reporter.js';
import { feedReporter, type Reporter } from '../output/feed.js';
import { writeLine } from '../output/io.js';
import { guardSecrets, secretValueRedactor, unguarded } from '../output/secret-guard.js';
import { type FollowOutcome, followRuns, type RunResult } from './follow-runs.js';

/** What `run` and `resume` share: open the engine, get runs going, show them, report how they ended. */
export interface DriveOptions {
  dbPath: string;
  apiKey: string;
  baseUrl: string | undefined;
  waitMs: number;
  /** Runs to follow before they move (resume), so their first steps show too. */
  before?: (engine: Engine) => Promise<string[]>;
  /** Starts or resumes the runs; the handles are followed. */
  start: (engine: Engine, opened: OpenedEngine) => Promise<RunHandle[]>;
  /** The caller's secret input values: never echoed (see secret-guard.ts). */
  secretValues?: readonly string[];
}

async function followRoot(engine: Engine, reporter: Reporter, runId: string): Promise<void> {
  const run = await engine.get(runId);
  if (!run) return;
  const earlier = (await engine.steps(runId)).map((s) => ({
    step: s.step,
    status: s.status,
    attempt: s.attempt,
    output: s.output,
    updatedMs: s.updatedMs,
  }));
  const children = (await engine.list({ parentRunId: runId })).map((child) => ({
    runId: child.runId,
    recipeId: child.recipeId,
    ended: child.status === 'completed' || child.status === 'failed' || child.status === 'cancelled',
  }));
  reporter.follow({ runId, recipeId: run.recipeId, children, earlier });
}

function exitCodeOf(outcome: FollowOutcome, roots: readonly string[]): number {
  if (outcome.kind !== 'done') return ExitCode.Waiting;
  const statuses = roots.map((runId) => outcome.results.get(runId)?.status);
  if (statuses.some((s) => s === 'failed' || s === 'cancelled')) return ExitCode.Failed;
  if (statuses.some((s) => s === 'lost')) return ExitCode.Waiting;
  return ExitCode.Done;
}

function reportResult(ctx: CommandContext, runId: string, result: RunResult, redact: (v: unknown) => unknown): void {
  const json = ctx.flags.json;
  if (result.status === 'completed') {
    if (!json && result.output !== undefined && result.output !== null)
      writeLine(ctx.io.stdout, `output of ${runId}:\n${JSON.stringify(redact(result.output), null, 2)}`);
  } else if (result.status === 'failed') ctx.warn(`fornex-flow: run ${runId} failed: ${result.message}`);
  else if (result.status === 'cancelled') ctx.warn(`fornex-flow: run ${runId} was cancelled`);
  else ctx.warn(`fornex-flow: run ${runId} was taken over by another process (${result.message})`);
}

/** Drives runs in this process until they end, are left to a worker (exit 3) or are interrupted (exit 3). */
export async function driveRuns(ctx: CommandContext, options: DriveOptions): Promise<number> {
  const { io } = ctx;
  const recipes = await ctx.recipes();
  const opened = await openEngine({
    dbPath: options.dbPath,
    recipes,
    apiKey: options.apiKey,
    baseUrl: options.baseUrl,
    env: io.env,
    warn: ctx.warn,
  });
  const { engine } = opened;
  const mode = outputModeOf(io, ctx.flags.json);
  const inner = await createReporter(io, mode, progressHintsOf(recipes));
  // The runs this command started or resumed are its caller's: their outputs are delivered in clear.
  const delivered = new Map<string, RunHandle>();
  const reporter =
    mode === 'json'
      ? guardSecrets(inner, {
          delivered: (runId) => {
            const handle = delivered.get(runId);
            return handle && (() => handle.result());
          },
          ...(options.secretValues ? { secretValues: options.secretValues } : {}),
        })
      : unguarded(inner);
  const redact = secretValueRedactor(options.secretValues);
  const off = feedReporter(engine, reporter, ctx.warn);
  let handles: RunHandle[] = [];
  const roots: string[] = [];
  let outcome: FollowOutcome;
  try {
    await releaseDeadOwners(opened);
    for (const runId of (await options.before?.(engine)) ?? []) await followRoot(engine, reporter, runId);
    handles = await options.start(engine, opened);
    for (const handle of handles) delivered.set(handle.runId, handle);
    const ids = new Set(handles.map((h) => h.runId));
    for (const handle of handles) {
      const parent = (await engine.get(handle.runId))?.parentRunId;
      if (parent && ids.has(parent)) continue;
      roots.push(handle.runId);
      await followRoot(engine, reporter, handle.runId);
    }
    outcome = await followRuns(engine, handles, options.waitMs, () => opened.store.nextTimerDeadline(opened.ownerId));
    if (outcome.kind === 'left') {
      for (const runId of roots) {
        const run = await engine.get(runId);
        if (run && (run.status === 'running' || run.status === 'waiting'))
          reporter.event({
            name: 'run:left',
            atMs: Date.now(),
            payload: { runId, reason: outcome.reason, dueMs: outcome.dueMs },
          });
      }
    }
  } finally {
    reporter.stop();
    off();
    await reporter.flush();
    await engine.close();
  }
  if (outcome.kind === 'done') {
    for (const runId of roots) {
      const result = outcome.results.get(runId);
      if (result) reportResult(ctx, runId, result, redact);
    }
  } else {
    const ids = roots.join(', ');
    const what =
      outcome.kind === 'left' ? `left waiting for a worker: ${outcome.reason}` : `interrupted (${outcome.signal})`;
    ctx.warn(
      `fornex-flow: ${ids} ${what}; it is saved: \`fornex-flow worker\` or \`fornex-flow resume ${handles[0]?.runId ?? '--all'}\` continues it`,
    );
  }
  return exitCodeOf(outcome, roots);
}
