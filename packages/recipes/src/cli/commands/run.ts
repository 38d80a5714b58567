import { usageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { baseUrlOf, dbPathOf, requireApiKey } from '../config.js';
import { driveRuns } from '../follow/drive-runs.js';
import { parseWait } from '../follow/follow-runs.js';
import { planLines } from '../follow/plan-lines.js';
import { buildInput, validateInput } from '../input/input.js';
import { findRecipe } from '../input/recipe-source.js';
import { writeLine } from '../output/io.js';

/** Flags of `fornex-flow run`. */
export interface RunFlags {
  input?: string;
  set?: string[];
  wait?: string;
  dryRun?: boolean;
}

/** `fornex-flow run <recipe>`: validate the input, start the run, show it until it ends or is left to a worker. */
export async function runCommand(ctx: CommandContext, recipeId: string, flags: RunFlags): Promise<number> {
  const { io } = ctx;
  const cli = findRecipe(await ctx.recipes(), recipeId);
  const raw = buildInput(cli.recipe.input, flags.input, flags.set ?? []);
  validateInput(cli.recipe.id, cli.recipe.input, raw);
  const waitMs = parseWait(flags.wait, Boolean(io.stdout.isTTY));
  if (Number.isNaN(waitMs)) throw usageError(`--wait must be a number of milliseconds or "forever", not ${flags.wait}`);
  const apiKey = requireApiKey(ctx.flags, io.env);
  const baseUrl = baseUrlOf(ctx.flags, io.env);

  if (flags.dryRun) {
    if (!cli.plan) throw usageError(`recipe ${cli.recipe.id} has no dry run`);
    const { createFornexClient } = await import('@fornex-flow/core');
    const client = createFornexClient({ apiKey, ...(baseUrl ? { baseURL: baseUrl } : {}) });
    const plan = await cli.plan(client, raw);
    if (ctx.flags.json) {
      writeLine(
        io.stdout,
        JSON.stringify({ event: 'plan', at: new Date().toISOString(), recipeId: cli.recipe.id, plan }),
      );
    } else {
      writeLine(io.stdout, `dry run of ${cli.recipe.id}: nothing was changed.`);
      for (const line of planLines(plan)) writeLine(io.stdout, line);
    }
    return 0;
  }

  return driveRuns(ctx, {
    dbPath: dbPathOf(ctx.flags, io.env),
    apiKey,
    baseUrl,
    waitMs,
    start: async (engine) => [await engine.start(cli.recipe.id, raw)],
    secretValues: secretInputValues(cli.recipe.secretInput ?? [], raw),
  });
}

/** The values of the recipe's secret input fields in this input, as text (strings and numbers). */
function secretInputValues(fields: readonly string[], input: unknown): string[] {
  if (input === null || typeof input !== 'object') return [];
  const values: string[] = [];
  const collect = (value: unknown): void => {
    if (typeof value === 'string' || typeof value === 'number') values.push(String(value));
    else if (value !== null && typeof value === 'object') for (const item of Object.values(value)) collect(item);
  };
  for (const field of fields) collect((input as Record<string, unknown>)[field]);
  return values;
}
