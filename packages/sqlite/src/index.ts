/**
 * @fornex-flow/sqlite: the embedded default store of the fornex-flow engine, one SQLite file
 * (better-sqlite3, WAL). `createEngine({ store: sqliteStore({ path: 'runs.db' }) })`.
 */
export { type Migration, migrations } from './migrations.js';
export { type ScheduleRow, type ScheduleStore, sqliteScheduleStore } from './schedule-store.js';
export { type SqliteStoreOptions, sqliteStore } from './sqlite-store.js';
