import pg from 'pg';
import { quoteIdent } from '../migrate.js';

/**
 * The PostgreSQL server of a test suite: `FORNEX_FLOW_PG_URL` (`.ci/postgres` prints one). Under CI
 * (`CI` set) its absence is an error, so a suite can never pass by skipping; elsewhere the suite
 * skips and `what` is named in one warning line. Use with `describe.skipIf(!url)`.
 * @example const url = testDatabaseUrl('the CLI on PostgreSQL')
 */
export function testDatabaseUrl(what: string): string | undefined {
  const url = process.env.FORNEX_FLOW_PG_URL;
  if (url) return url;
  if (process.env.CI) throw new Error(`FORNEX_FLOW_PG_URL is not set under CI: ${what} must run (see .ci/postgres)`);
  console.warn(`SKIPPED: ${what} did not run: set FORNEX_FLOW_PG_URL (run .ci/postgres to start a server)`);
  return undefined;
}

/** A fresh schema name, so that tests sharing one database never see each other's runs. */
export function freshSchema(prefix = 'test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Drops a test's schema and everything in it (nothing when it does not exist). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS ${quoteIdent(schema)} CASCADE`);
  } finally {
    await client.end();
  }
}
