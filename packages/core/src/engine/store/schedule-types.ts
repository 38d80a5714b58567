import type { Awaitable } from './types.js';

/** One stored cron schedule (the CLI's `schedule add`; fired by every worker and serve process). */
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

/** The schedules table of a runs database; SQLite answers at once, PostgreSQL with promises. */
export interface ScheduleStore {
  add(row: ScheduleRow): Awaitable<void>;
  list(): Awaitable<ScheduleRow[]>;
  get(id: string): Awaitable<ScheduleRow | undefined>;
  /** False when there was no such schedule. */
  remove(id: string): Awaitable<boolean>;
  /** Records that ticks up to `tickMs` are handled; never moves backwards (another process may be ahead). */
  markTick(id: string, tickMs: number): Awaitable<void>;
  close(): Awaitable<void>;
}
