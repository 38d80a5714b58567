import type { ScheduleRow, ScheduleStore } from '@fornex-flow/core';
import { openDatabase } from './open-database.js';
import { migrate } from './sqlite-store.js';

export type { ScheduleRow, ScheduleStore } from '@fornex-flow/core';

/** A ScheduleStore whose answers come at once (no promises), as SQLite's do. */
export type SyncScheduleStore = {
  [K in keyof ScheduleStore]: ScheduleStore[K] extends (...args: infer A) => infer R
    ? (...args: A) => Exclude<R, Promise<unknown>>
    : ScheduleStore[K];
};

const columns = `id, recipe_id AS recipeId, cron, time_zone AS timeZone, input_json AS inputJson,
  created_ms AS createdMs, last_tick_ms AS lastTickMs`;

/** Opens the schedules of the SQLite runs database at `path` (its own connection; migrations applied). */
export function sqliteScheduleStore(options: { path: string; busyTimeoutMs?: number }): SyncScheduleStore {
  const db = openDatabase(options.path, options.busyTimeoutMs ?? 5000);
  migrate(db);
  const s = {
    add: db.prepare(`INSERT INTO schedules (id, recipe_id, cron, time_zone, input_json, created_ms, last_tick_ms)
      VALUES (@id, @recipeId, @cron, @timeZone, @inputJson, @createdMs, @lastTickMs)`),
    list: db.prepare(`SELECT ${columns} FROM schedules ORDER BY created_ms, id`),
    get: db.prepare(`SELECT ${columns} FROM schedules WHERE id = ?`),
    remove: db.prepare('DELETE FROM schedules WHERE id = ?'),
    mark: db.prepare(
      'UPDATE schedules SET last_tick_ms = @tickMs WHERE id = @id AND (last_tick_ms IS NULL OR last_tick_ms < @tickMs)',
    ),
  };
  return {
    add: (row) => void s.add.run(row),
    list: () => s.list.all() as ScheduleRow[],
    get: (id) => s.get.get(id) as ScheduleRow | undefined,
    remove: (id) => s.remove.run(id).changes === 1,
    markTick: (id, tickMs) => void s.mark.run({ id, tickMs }),
    close: () => db.close(),
  };
}
