import { describeStoreConformance } from '@fornex-flow/core/testing';
import pg from 'pg';
import { afterAll, describe, it } from 'vitest';
import { postgresStore } from '../src/postgres-store.js';
import { dropSchema, freshSchema, pgUrl } from './pg-url.js';

const url = pgUrl();
const schemas: string[] = [];

if (url) {
  // Every case in a fresh schema; the damage is done through a connection of its own, as a bad
  // migration or a hand edit would.
  describeStoreConformance('postgresStore', () => {
    const schema = freshSchema('conformance');
    schemas.push(schema);
    const tamper = async (sql: string, ...params: unknown[]) => {
      const client = new pg.Client({ connectionString: url, options: `-c search_path="${schema}"` });
      await client.connect();
      try {
        await client.query(sql, params);
      } finally {
        await client.end();
      }
    };
    return {
      store: postgresStore({ connectionString: url, schema, maxConnections: 2 }),
      corruptJournal: (runId) => tamper(`UPDATE history SET steps_json = '{"n":[' WHERE run_id = $1`, runId),
      setRawStatus: (runId, status) => tamper('UPDATE runs SET status = $1 WHERE id = $2', status, runId),
    };
  });
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url, schema);
  });
} else {
  describe('postgresStore conformance', () => {
    it.skip('needs FORNEX_FLOW_PG_URL', () => {});
  });
}
