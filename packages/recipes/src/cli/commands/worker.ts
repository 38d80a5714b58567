import { usageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { baseUrlOf, dbPathOf, requireApiKey } from '../config.js';
import { type OpenedEngine, openEngine, releaseDeadOwners } from '../engine/open-engine.js';
import { openScheduleTicks } from '../engine/schedule-ticks.js';
import { ExitCode } from '../exit-codes.js';
import { progressHintsOf } from '../input/recipe-source.js';
import { createReporter } from '../output/create-reporter.js';
import { feedReporter } from '../output/feed.js';
import { unguarded } from '../output/secret-guard.js';

/** Flags of `fornex-flow worker`. */
export interface WorkerFlags {
  pollMs?: string;
}

/** Something run beside the worker (`serve`'s HTTP server): started once the engine is open, stopped before it closes. */
export type WorkerSidecar = (opened: OpenedEngine) => Promise<() => Promise<void>>;

/** How often the worker looks for runs to take when no flag says otherwise. */
export const DEFAULT_POLL_MS = 1000;

/**
 * `fornex-flow worker`: a long-running process that resumes every run it can (new ones left by
 * `run`, ones whose owner died or whose lease expired), fires their durable timers as they fall
 * due, and on SIGTERM/SIGINT stops taking work and releases every run it holds.
 */
export async function workerCommand(ctx: CommandContext, flags: WorkerFlags, sidecar?: WorkerSidecar): Promise<number> {
  const { io } = ctx;
  const pollMs = flags.pollMs === undefined ? DEFAULT_POLL_MS : Number(flags.pollMs);
  if (!Number.isInteger(pollMs) || pollMs < 10) throw usageError('--poll-ms must be an integer of at least 10');
  const dbPath = dbPathOf(ctx.flags, io.env);
  const recipes = await ctx.recipes();
  const opened = await openEngine({
    dbPath,
    recipes,
    apiKey: requireApiKey(ctx.flags, io.env),
    baseUrl: baseUrlOf(ctx.flags, io.env),
    env: io.env,
    warn: ctx.warn,
  });
  const { engine } = opened;
  let stopSidecar: () => Promise<void>;
  try {
    stopSidecar = sidecar ? await sidecar(opened) : async () => {};
  } catch (error) {
    await engine.close();
    throw error;
  }
  // A worker is a log, not a dashboard: plain lines (or NDJSON), never a redrawn terminal block.
  const inner = await createReporter(io, ctx.flags.json ? 'json' : 'plain', progressHintsOf(recipes));
  // A worker has no caller: its log shows outputs as the engine's events do, secrets redacted.
  const reporter = unguarded(inner);
  const off = feedReporter(engine, reporter, ctx.warn);
  const schedules = await openScheduleTicks(opened, recipes, dbPath, ctx.warn);
  const reported = new Map<string, string>();
  const held = new Set<string>();

  const sweep = async () => {
    for (const runId of await schedules.tick()) reporter.info(`schedule started ${runId}`);
    for (const runId of await releaseDeadOwners(opened)) reporter.info(`taking over ${runId}: its owner process died`);
    const { resumed, failed } = await engine.resumeAll();
    for (const handle of resumed) {
      const run = await engine.get(handle.runId);
      if (!run) continue;
      held.add(handle.runId);
      if (!run.parentRunId) {
        reporter.follow({ runId: run.runId, recipeId: run.recipeId });
        reporter.info(`resumed ${run.runId} (${run.recipeId}, ${run.status})`);
      }
      handle.result().then(
        () => held.delete(handle.runId),
        () => held.delete(handle.runId),
      );
    }
    for (const { runId, error } of failed) {
      // Say it once per run and reason, not on every sweep; a run leased by a live process is not news.
      if (error.code === 'RUN_LEASED' || reported.get(runId) === error.code) continue;
      reported.set(runId, error.code);
      ctx.warn(`fornex-flow: cannot resume ${runId}: ${error.message}`);
    }
  };

  reporter.info(`worker started on ${dbPath} (pid ${process.pid}); SIGTERM or Ctrl-C stops it`);
  return new Promise<number>((resolve) => {
    let stopping = false;
    let sweeping: Promise<void> = Promise.resolve();
    const tick = () => {
      sweeping = sweep().catch((error: unknown) =>
        ctx.warn(`fornex-flow: worker sweep failed: ${(error as Error).message}`),
      );
    };
    const timer = setInterval(() => {
      if (!stopping) tick();
    }, pollMs);
    tick();
    const stop = async (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      clearInterval(timer);
      await sweeping;
      await stopSidecar();
      await schedules.close();
      const holding = held.size;
      off();
      await reporter.flush();
      await engine.close();
      reporter.info(`worker stopped (${signal}); released ${holding} run${holding === 1 ? '' : 's'}`);
      reporter.stop();
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(ExitCode.Done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
