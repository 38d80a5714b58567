import pg from 'pg';

/**
 * The PostgreSQL server of the tests: FORNEX_FLOW_PG_URL (`.ci/postgres` prints one). Under CI its
 * absence is an error, so the suite can never pass by skipping; elsewhere the suite skips and says so.
 */
export function pgUrl(): string | undefined {
  const url = process.env.FORNEX_FLOW_PG_URL;
  if (url) return url;
  if (process.env.CI)
    throw new Error('FORNEX_FLOW_PG_URL is not set under CI: the PostgreSQL suite must run (see .ci/postgres)');
  console.warn(
    'SKIPPED: the PostgreSQL suite (@fornex-flow/postgres) did not run: set FORNEX_FLOW_PG_URL (run .ci/postgres to start a server)',
  );
  return undefined;
}

/** A fresh schema name for one test, so tests never see each other's runs. */
export function freshSchema(prefix = 'test'): string {
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`;
}

/** Drops a test's schema (and everything in it). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}
