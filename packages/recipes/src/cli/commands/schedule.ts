import type { ScheduleRow } from '@fornex-flow/core';
import { usageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { dbPathOf } from '../config.js';
import { openScheduleStore } from '../engine/open-engine.js';
import { checkCron, newScheduleId, nextTicks } from '../engine/schedule-ticks.js';
import { ExitCode } from '../exit-codes.js';
import { buildInput, validateInput } from '../input/input.js';
import { findRecipe } from '../input/recipe-source.js';
import { writeLine } from '../output/io.js';

/** Flags of `fornex-flow schedule add`. */
export interface ScheduleAddFlags {
  cron: string;
  tz?: string;
  input?: string;
  set?: string[];
}

const openSchedules = (ctx: CommandContext) => openScheduleStore(dbPathOf(ctx.flags, ctx.io.env));

const describe = (row: ScheduleRow, nowMs: number) => ({
  id: row.id,
  recipe: row.recipeId,
  cron: row.cron,
  timeZone: row.timeZone ?? 'UTC',
  input: JSON.parse(row.inputJson) as unknown,
  next: new Date(nextTicks(row, nowMs, 1)[0]!).toISOString(),
  lastTick: row.lastTickMs === null ? null : new Date(row.lastTickMs).toISOString(),
});

/** `fornex-flow schedule add <recipe> --cron EXPR [--tz ZONE] [--input ...] [--set k=v]`. */
export async function scheduleAddCommand(
  ctx: CommandContext,
  recipeId: string,
  flags: ScheduleAddFlags,
): Promise<number> {
  const { recipe } = findRecipe(await ctx.recipes(), recipeId);
  const timeZone = flags.tz ?? null;
  checkCron(flags.cron, timeZone);
  const input = buildInput(recipe.input, flags.input, flags.set ?? []);
  validateInput(recipe.id, recipe.input, input);
  // Stored input is plain JSON in the database: secrets have no place there.
  const secret = (recipe.secretInput ?? []).filter((field) => (input as Record<string, unknown>)[field] !== undefined);
  if (secret.length)
    throw usageError(`${recipe.id}'s ${secret.join(', ')} is secret input and cannot be stored in a schedule`);
  const now = Date.now();
  const row: ScheduleRow = {
    id: newScheduleId(),
    recipeId: recipe.id,
    cron: flags.cron.trim(),
    timeZone,
    inputJson: JSON.stringify(input),
    createdMs: now,
    lastTickMs: null,
  };
  const store = await openSchedules(ctx);
  try {
    await store.add(row);
  } finally {
    await store.close();
  }
  const out = (line: string) => writeLine(ctx.io.stdout, line);
  if (ctx.flags.json) out(JSON.stringify(describe(row, now)));
  else {
    out(`schedule ${row.id}: ${row.recipeId} at "${row.cron}" (${row.timeZone ?? 'UTC'})`);
    out(
      `next ticks: ${nextTicks(row, now, 3)
        .map((ms) => new Date(ms).toISOString())
        .join(', ')}`,
    );
    out('a running `fornex-flow worker` or `serve` on this database starts the runs');
  }
  return ExitCode.Done;
}

/** `fornex-flow schedule list`. */
export async function scheduleListCommand(ctx: CommandContext): Promise<number> {
  const store = await openSchedules(ctx);
  let rows: ScheduleRow[];
  try {
    rows = await store.list();
  } finally {
    await store.close();
  }
  const now = Date.now();
  const out = (line: string) => writeLine(ctx.io.stdout, line);
  for (const row of rows) {
    const d = describe(row, now);
    if (ctx.flags.json) out(JSON.stringify(d));
    else out(`${d.id}  ${d.recipe}  "${d.cron}" ${d.timeZone}  next ${d.next}  last ${d.lastTick ?? '-'}`);
  }
  if (!ctx.flags.json && rows.length === 0) out('no schedules (fornex-flow schedule add <recipe> --cron "...")');
  return ExitCode.Done;
}

/** `fornex-flow schedule remove <id>`. */
export async function scheduleRemoveCommand(ctx: CommandContext, id: string): Promise<number> {
  const store = await openSchedules(ctx);
  try {
    if (!(await store.remove(id))) throw usageError(`no schedule ${id} (fornex-flow schedule list)`);
  } finally {
    await store.close();
  }
  writeLine(ctx.io.stdout, `removed schedule ${id}`);
  return ExitCode.Done;
}
