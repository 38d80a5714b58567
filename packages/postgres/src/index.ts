/**
 * @fornex-flow/postgres: the PostgreSQL store of the fornex-flow engine, for many workers on many
 * hosts. `createEngine({ store: postgresStore({ connectionString }) })`.
 */
export { type PgMigration, pgMigrations } from './migrations.js';
export { type PostgresStoreOptions, postgresStore } from './postgres-store.js';
export { postgresScheduleStore } from './schedule-store.js';
