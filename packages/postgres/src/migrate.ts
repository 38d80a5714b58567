import type { PoolClient } from 'pg';
import type { PgMigration } from './migrations.js';

/** A schema name as a quoted SQL identifier. */
export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

// One lock id for every fornex-flow store, whatever the schema: migrations are rare and short.
const migrationLockId = 0x666f726e; // 'forn'

/**
 * Applies the migrations not yet recorded in `<schema>.schema_migrations`, all under one
 * transaction-scoped advisory lock, so that workers starting together apply each exactly once
 * (the others wait, then find them recorded). Returns the names it applied.
 */
export async function migratePg(
  client: PoolClient,
  schema: string,
  migrations: readonly PgMigration[],
): Promise<string[]> {
  const q = quoteIdent(schema);
  const done: string[] = [];
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [migrationLockId]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${q}`);
    await client.query(`SET LOCAL search_path TO ${q}`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_ms bigint NOT NULL)',
    );
    const applied = new Set(
      (await client.query<{ name: string }>('SELECT name FROM schema_migrations')).rows.map((r) => r.name),
    );
    for (const migration of migrations) {
      if (applied.has(migration.name)) continue;
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (name, applied_ms) VALUES ($1, $2)', [
        migration.name,
        Date.now(),
      ]);
      done.push(migration.name);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  }
  return done;
}
