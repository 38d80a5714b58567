import { type CommandContext, resolveRunId } from '../command-context.js';
import { openReadOnly } from '../engine/open-read-only.js';
import { ExitCode } from '../exit-codes.js';
import { writeLine } from '../output/io.js';

/** `fornex-flow cancel <runId>`: cancels an active run, whichever process drives it. */
export async function cancelCommand(ctx: CommandContext, idOrPrefix: string): Promise<number> {
  const { engine } = await openReadOnly(ctx);
  try {
    const runId = await resolveRunId(engine, idOrPrefix);
    if (await engine.cancel(runId)) {
      if (ctx.flags.json) writeLine(ctx.io.stdout, JSON.stringify({ event: 'run:cancelled', runId }));
      else writeLine(ctx.io.stdout, `cancelled ${runId}`);
      return ExitCode.Done;
    }
    const run = await engine.get(runId);
    ctx.warn(`fornex-flow: run ${runId} has already ended (${run?.status ?? 'unknown'}); nothing to cancel`);
    return ExitCode.Usage;
  } finally {
    await engine.close();
  }
}
