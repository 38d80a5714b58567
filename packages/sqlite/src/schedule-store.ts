import Database from 'better-sqlite3';
import { migrate } from './sqlite-store.js';

/** One stored cron schedule. */
export interface ScheduleRow {
  id: string;
  recipeId: string;
  cron: string;
  /** IANA zone the expression is read in; null means UTC. */
  timeZone: string | null;
  inputJson: string;
  createdMs: number;
  /** The newest tick already handled (its run started, or skipped by the missed-tick policy). */
  lastTickMs: number | null;
}

/** The schedules table of a runs database. */
export interface ScheduleStore {
  add(row: ScheduleRow): void;
  list(): ScheduleRow[];
  get(id: string): ScheduleRow | undefined;
  /** False when there was no such schedule. */
  remove(id: string): boolean;
  /** Records that ticks up to `tickMs` are handled; never moves backwards (another process may be ahead). */
  markTick(id: string, tickMs: number): void;
  close(): void;
}

const columns = `id, recipe_id AS recipeId, cron, time_zone AS timeZone, input_json AS inputJson,
  created_ms AS createdMs, last_tick_ms AS lastTickMs`;

/** Opens the schedules of the SQLite runs database at `path` (its own connection; migrations applied). */
export function sqliteScheduleStore(options: { path: string; busyTimeoutMs?: number }): ScheduleStore {
  const db = new Database(options.path);
  db.pragma('journal_mode = WAL');
  db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 5000}`);
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
