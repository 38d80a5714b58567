import { randomUUID } from 'node:crypto';
import type { Engine, ScheduleRow, ScheduleStore } from '@fornex-flow/core';
import { CronExpressionParser } from 'cron-parser';
import { usageError } from '../cli-error.js';
import { openScheduleStore } from './open-engine.js';

/** Parses a cron expression (5 fields, or 6 with seconds first) in a time zone (default UTC); a usage error if bad. */
export function checkCron(cron: string, timeZone: string | null): void {
  if (timeZone !== null && !isTimeZone(timeZone))
    throw usageError(`unknown time zone "${timeZone}" (an IANA name such as Europe/Berlin)`);
  const fields = cron.trim().split(/\s+/).length;
  if (fields !== 5 && fields !== 6) throw usageError(`--cron "${cron}": expected 5 fields, or 6 with seconds first`);
  try {
    CronExpressionParser.parse(cron, { tz: timeZone ?? 'UTC', strict: false });
  } catch (error) {
    throw usageError(`--cron "${cron}": ${(error as Error).message}`);
  }
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The next `count` ticks after `afterMs`. */
export function nextTicks(row: Pick<ScheduleRow, 'cron' | 'timeZone'>, afterMs: number, count: number): number[] {
  const expression = CronExpressionParser.parse(row.cron, {
    tz: row.timeZone ?? 'UTC',
    currentDate: new Date(afterMs),
  });
  return Array.from({ length: count }, () => expression.next().getTime());
}

/** The newest tick at or before `nowMs`. */
export function latestTick(row: Pick<ScheduleRow, 'cron' | 'timeZone'>, nowMs: number): number {
  const expression = CronExpressionParser.parse(row.cron, {
    tz: row.timeZone ?? 'UTC',
    currentDate: new Date(nowMs + 1),
  });
  return expression.prev().getTime();
}

/** The run id and idempotency key of one tick: every process computes the same, so a tick starts one run. */
export function tickRunId(scheduleId: string, tickMs: number): string {
  return `schedule-${scheduleId}-${tickMs}`;
}

/** A new schedule id. */
export function newScheduleId(): string {
  return randomUUID().slice(0, 8);
}

/**
 * Starts the run of each schedule's newest due tick not yet handled. Missed-tick policy: after
 * downtime only the newest missed tick runs (once), older ones are skipped; ticks before the
 * schedule was added never run. A tick whose recipe this process does not have is left for
 * another process; one whose stored input the recipe now refuses is skipped with a warning.
 */
export async function fireDueSchedules(
  engine: Engine,
  schedules: ScheduleStore,
  hasRecipe: (id: string) => boolean,
  nowMs: number,
  warn: (line: string) => void,
): Promise<string[]> {
  const started: string[] = [];
  for (const row of await schedules.list()) {
    let tick: number;
    try {
      tick = latestTick(row, nowMs);
    } catch (error) {
      warn(`fornex-flow: schedule ${row.id}: ${(error as Error).message}`);
      continue;
    }
    if (tick <= (row.lastTickMs ?? row.createdMs)) continue;
    if (!hasRecipe(row.recipeId)) continue;
    const runId = tickRunId(row.id, tick);
    try {
      const handle = await engine.start(row.recipeId, JSON.parse(row.inputJson), { runId, idempotencyKey: runId });
      handle.result().catch(() => {});
      started.push(handle.runId);
    } catch (error) {
      warn(
        `fornex-flow: schedule ${row.id} could not start its ${new Date(tick).toISOString()} run: ${(error as Error).message}`,
      );
    }
    await schedules.markTick(row.id, tick);
  }
  return started;
}

/** The worker's view of the schedules: `tick()` once per sweep starts what is due. */
export async function openScheduleTicks(
  opened: { engine: Engine },
  recipes: readonly { recipe: { id: string } }[],
  dbPath: string,
  warn: (line: string) => void,
): Promise<{ tick(): Promise<string[]>; close(): Promise<void> }> {
  const store = await openScheduleStore(dbPath);
  const ids = new Set(recipes.map((r) => r.recipe.id));
  return {
    tick: () => fireDueSchedules(opened.engine, store, (id) => ids.has(id), Date.now(), warn),
    close: async () => {
      await store.close();
    },
  };
}
