import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Engine, RunHandle } from '@fornex-flow/core';
import { usageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { ExitCode } from '../exit-codes.js';
import { driveRuns } from '../follow/drive-runs.js';
import { progressHintsOf } from '../input/recipe-source.js';
import { createReporter, outputModeOf } from '../output/create-reporter.js';
import type { FeedEvent } from '../output/feed.js';
import { formatDuration } from '../output/format.js';
import { writeLine } from '../output/io.js';
import { demoPlan } from './demo-plan.js';

/** Flags of `fornex-flow demo`. */
export interface DemoFlags {
  scale?: string;
}

interface Outcome {
  recipeId: string;
  runId: string | null;
  exitCode: number;
  tookMs: number;
  note: string;
}

const binPath = () => fileURLToPath(new URL('../bin.js', import.meta.url));

/** An NDJSON line of `fornex-flow --json` as the event a reporter takes. */
function feedEventOf(line: string): FeedEvent | undefined {
  try {
    const { event, at, trigger, ...payload } = JSON.parse(line) as Record<string, unknown>;
    if (typeof event !== 'string') return undefined;
    const restored = trigger === undefined ? payload : { ...payload, event: trigger };
    return { name: event, atMs: Date.parse(String(at)), payload: restored } as FeedEvent;
  } catch {
    return undefined;
  }
}

/**
 * Runs a recipe in a child `fornex-flow` process that SIGKILLs itself after `effects` step
 * effects (the engine's crash point), showing its progress from its NDJSON; returns the run id.
 */
async function runAndCrash(
  ctx: CommandContext,
  env: NodeJS.ProcessEnv,
  recipeId: string,
  input: unknown,
  effects: number,
): Promise<{ runId: string | null; signal: string | null }> {
  const recipes = await ctx.recipes();
  const reporter = await createReporter(ctx.io, outputModeOf(ctx.io, ctx.flags.json), progressHintsOf(recipes));
  const child = spawn(process.execPath, [binPath(), '--json', 'run', recipeId, '--input', JSON.stringify(input)], {
    env: { ...env, FORNEX_FLOW_CRASH_AT: 'after-effect-before-record', FORNEX_FLOW_CRASH_AFTER: String(effects - 1) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let runId: string | null = null;
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (pending + chunk.toString()).split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) {
      const event = feedEventOf(line);
      if (!event) continue;
      if (event.name === 'run:started' && event.payload.parentRunId === null) {
        runId = event.payload.runId;
        reporter.follow({ runId, recipeId });
      }
      reporter.event(event);
    }
  });
  const signal = await new Promise<string | null>((resolve) => child.on('exit', (_code, s) => resolve(s)));
  reporter.stop();
  return { runId, signal };
}

/**
 * `fornex-flow demo`: the mock server in-process with a generated world, a temporary database,
 * and every recipe with live progress; one is crashed on purpose (SIGKILL) and resumed. Ends with
 * a summary; exit 0 when every recipe completed.
 */
export async function demoCommand(ctx: CommandContext, flags: DemoFlags): Promise<number> {
  // The demo is for a person to watch; NDJSON would be mixed with its narration.
  if (ctx.flags.json) throw usageError('demo has no --json output (run recipes with `fornex-flow --json run` instead)');
  const scale = flags.scale === undefined ? 12 : Number(flags.scale);
  if (!Number.isInteger(scale) || scale < 0 || scale > 500)
    throw usageError('--scale must be an integer from 0 to 500');
  const out = (line = '') => writeLine(ctx.io.stdout, line);
  const { PERSONAL_API_KEY, startMockServer } = await import('@fornex-flow/mock-server');
  // Fast mock time: a reboot settles in 1.5 s, a password job completes at its third poll.
  const mock = await startMockServer({ port: 0, scale, powerDelayMs: 1500, jobCompleteAfterPolls: 3 });
  const dir = mkdtempSync(join(tmpdir(), 'fornex-flow-demo-'));
  const dbPath = join(dir, 'runs.db');
  const env: NodeJS.ProcessEnv = {
    ...ctx.io.env,
    FORNEX_API_KEY: PERSONAL_API_KEY,
    FORNEX_BASE_URL: mock.url,
    FORNEX_FLOW_DB: dbPath,
    FORNEX_FLOW_SECRET_KEY: randomBytes(32).toString('base64'),
  };
  // The demo's own flags and environment: every command it runs talks to the mock and the temp database.
  const demoCtx: CommandContext = {
    ...ctx,
    io: { ...ctx.io, env },
    flags: { ...ctx.flags, db: dbPath, baseUrl: mock.url },
  };
  const outcomes: Outcome[] = [];
  const started = Date.now();
  try {
    const { createFornexClient } = await import('@fornex-flow/core');
    const client = createFornexClient({ apiKey: PERSONAL_API_KEY, baseURL: mock.url });
    const available = new Set((await ctx.recipes()).map((r) => r.recipe.id));
    const plan = await demoPlan(client);
    out(`fornex-flow demo: mock Fornex API at ${mock.url} (${scale} generated VPS orders and domains)`);
    out(`runs in ${dbPath} (deleted at the end)`);
    for (const step of plan) {
      out();
      if (!available.has(step.recipeId)) {
        out(`${step.recipeId}: not installed, skipped`);
        outcomes.push({
          recipeId: step.recipeId,
          runId: null,
          exitCode: ExitCode.Failed,
          tookMs: 0,
          note: 'not installed',
        });
        continue;
      }
      out(`${step.recipeId}: ${step.what}`);
      const t0 = Date.now();
      let runId: string | null = null;
      let note = '';
      let exitCode: number;
      if (step.crashAfterEffects) {
        const crashed = await runAndCrash(demoCtx, env, step.recipeId, step.input, step.crashAfterEffects);
        runId = crashed.runId;
        if (!runId) throw new Error(`${step.recipeId} did not start in the child process`);
        note = `killed (${crashed.signal ?? 'exited'}) after ${step.crashAfterEffects} effects, resumed from the database`;
        out(
          `  the process running it was killed with ${crashed.signal ?? 'no signal'}; resuming ${runId} from the database.\n` +
            "  Its step was cut off with an effect maybe in flight: the resume waits out that attempt's deadline\n" +
            '  (about 15 s with the default lease) before it checks what happened, so the effect is never doubled:',
        );
        const resumeId = runId;
        exitCode = await driveRuns(demoCtx, {
          dbPath,
          apiKey: PERSONAL_API_KEY,
          baseUrl: mock.url,
          waitMs: Number.POSITIVE_INFINITY,
          before: async () => [resumeId],
          start: async (engine: Engine) => [await engine.resume(resumeId)],
        });
      } else {
        exitCode = await driveRuns(demoCtx, {
          dbPath,
          apiKey: PERSONAL_API_KEY,
          baseUrl: mock.url,
          waitMs: Number.POSITIVE_INFINITY,
          start: async (engine: Engine): Promise<RunHandle[]> => {
            const handle = await engine.start(step.recipeId, step.input);
            runId = handle.runId;
            return [handle];
          },
        });
      }
      outcomes.push({ recipeId: step.recipeId, runId, exitCode, tookMs: Date.now() - t0, note });
    }
  } finally {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  }

  out();
  out('summary');
  const width = Math.max(...outcomes.map((o) => o.recipeId.length));
  const label = (code: number) => (code === 0 ? 'completed' : code === 3 ? 'left waiting' : 'failed');
  for (const o of outcomes) {
    const note = o.note ? `  ${o.note}` : '';
    out(
      `  ${o.recipeId.padEnd(width)}  ${label(o.exitCode).padEnd(12)}  ${formatDuration(o.tookMs).padStart(8)}${note}`,
    );
  }
  const ok = outcomes.every((o) => o.exitCode === 0);
  out(
    ok
      ? `all ${outcomes.length} recipes completed in ${formatDuration(Date.now() - started)}`
      : `${outcomes.filter((o) => o.exitCode !== 0).length} of ${outcomes.length} recipes did not complete`,
  );
  return ok ? ExitCode.Done : ExitCode.Failed;
}
