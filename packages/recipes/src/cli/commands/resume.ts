import type { Engine } from '@fornex-flow/core';
import { usageError } from '../cli-error.js';
import { type CommandContext, resolveRunId } from '../command-context.js';
import { baseUrlOf, dbPathOf, requireApiKey } from '../config.js';
import { isDeadLocalOwner } from '../engine/owner.js';
import { ExitCode } from '../exit-codes.js';
import { driveRuns } from '../follow/drive-runs.js';
import { parseWait } from '../follow/follow-runs.js';

/** Flags of `fornex-flow resume`. */
export interface ResumeFlags {
  all?: boolean;
  wait?: string;
}

/** The runs `resumeAll` will be able to take: active, and free, expired or held by a dead CLI process. */
async function takeableRoots(engine: Engine): Promise<string[]> {
  const now = Date.now();
  const active = [...(await engine.list({ status: 'running' })), ...(await engine.list({ status: 'waiting' }))];
  return active
    .filter((run) => !run.parentRunId)
    .filter((run) => !run.leaseOwner || (run.leaseExpiresMs ?? 0) <= now || isDeadLocalOwner(run.leaseOwner))
    .map((run) => run.runId);
}

/** `fornex-flow resume <runId>|--all`: continue stored runs in this process, shown like `run`. */
export async function resumeCommand(
  ctx: CommandContext,
  runId: string | undefined,
  flags: ResumeFlags,
): Promise<number> {
  if (Boolean(runId) === Boolean(flags.all)) throw usageError('resume needs a run id or --all (not both)');
  const { io } = ctx;
  const waitMs = parseWait(flags.wait, Boolean(io.stdout.isTTY));
  if (Number.isNaN(waitMs)) throw usageError(`--wait must be a number of milliseconds or "forever", not ${flags.wait}`);
  const apiKey = requireApiKey(ctx.flags, io.env);
  let exitCode: number = ExitCode.Done;
  const code = await driveRuns(ctx, {
    dbPath: dbPathOf(ctx.flags, io.env),
    apiKey,
    baseUrl: baseUrlOf(ctx.flags, io.env),
    waitMs,
    before: async (engine) => (runId ? [await resolveRunId(engine, runId)] : takeableRoots(engine)),
    start: async (engine) => {
      if (runId) return [await engine.resume(await resolveRunId(engine, runId))];
      const { resumed, failed } = await engine.resumeAll();
      for (const { runId: id, error } of failed) {
        ctx.warn(`fornex-flow: cannot resume ${id}: ${error.message}`);
        exitCode = error.code === 'RUN_LEASED' ? ExitCode.Waiting : ExitCode.Failed;
      }
      if (resumed.length === 0 && failed.length === 0) ctx.warn('fornex-flow: nothing to resume');
      return resumed;
    },
  });
  return Math.max(code, exitCode);
}
