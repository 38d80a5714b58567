import type { ScheduleRow, ScheduleStore } from '@fornex-flow/core';
import { migratePg, quoteIdent } from './migrate.js';
import { pgMigrations } from './migrations.js';
import { createPool, type PostgresStoreOptions, queryWithTypes } from './postgres-store.js';

const columns = `id, recipe_id AS "recipeId", cron, time_zone AS "timeZone", input_json AS "inputJson",
  created_ms AS "createdMs", last_tick_ms AS "lastTickMs"`;

/**
 * The cron schedules of a PostgreSQL runs database (the same schema as `postgresStore`'s; migrations
 * applied on first use). Ticks only move forward, so workers on several hosts can mark them at once.
 */
export function postgresScheduleStore(options: Omit<PostgresStoreOptions, 'migrations'>): ScheduleStore {
  const table = `${quoteIdent(options.schema ?? 'fornex_flow')}.schedules`;
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? createPool(options.connectionString as string, options.maxConnections ?? 2);
  const onIdleError = () => {};
  pool.on('error', onIdleError);
  const ready = (async () => {
    const client = await pool.connect();
    try {
      await migratePg(client, options.schema ?? 'fornex_flow', pgMigrations);
    } finally {
      client.release();
    }
  })();
  ready.catch(() => {});
  const query = async <R extends Record<string, unknown>>(text: string, values: unknown[] = []) => {
    await ready;
    return queryWithTypes<R>(pool, text, values);
  };
  return {
    async add(row) {
      await query(
        `INSERT INTO ${table} (id, recipe_id, cron, time_zone, input_json, created_ms, last_tick_ms)
          VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [row.id, row.recipeId, row.cron, row.timeZone, row.inputJson, row.createdMs, row.lastTickMs],
      );
    },
    list: async () =>
      (await query<ScheduleRow & Record<string, unknown>>(`SELECT ${columns} FROM ${table} ORDER BY created_ms, id`))
        .rows,
    get: async (id) =>
      (await query<ScheduleRow & Record<string, unknown>>(`SELECT ${columns} FROM ${table} WHERE id = $1`, [id]))
        .rows[0],
    remove: async (id) => (await query(`DELETE FROM ${table} WHERE id = $1`, [id])).rowCount === 1,
    async markTick(id, tickMs) {
      await query(
        `UPDATE ${table} SET last_tick_ms = $2 WHERE id = $1 AND (last_tick_ms IS NULL OR last_tick_ms < $2)`,
        [id, tickMs],
      );
    },
    async close() {
      await ready.catch(() => {});
      if (ownsPool) await pool.end();
      pool.off('error', onIdleError);
    },
  };
}
