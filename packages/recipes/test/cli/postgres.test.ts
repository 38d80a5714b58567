import { dropSchema, freshSchema, testDatabaseUrl } from '@fornex-flow/postgres/testing';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createCliWorld, keysTitled, PERSONAL_API_KEY } from './helpers.js';

// The CLI on PostgreSQL: `--db postgres://...` (here through FORNEX_FLOW_DB) picks the PostgreSQL
// store for every command. Under CI the server must be there (.ci/postgres); elsewhere this skips.
const url = testDatabaseUrl('the CLI-on-PostgreSQL tests');
const schemas: string[] = [];
const dbUrl = () => {
  const schema = freshSchema('cli');
  schemas.push(schema);
  return `${url}?schema=${schema}`;
};

describe.skipIf(!url)('fornex-flow on PostgreSQL', { timeout: 60_000 }, () => {
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(url as string, schema);
  });

  it('runs a recipe, lists and shows it from another process, and never prints the key or the password', async () => {
    const w = await createCliWorld();
    const db = dbUrl();
    const run = await w.cli(['run', 'test-orders', '--set', 'title=on-pg', '--set', 'pauseMs=50'], {
      FORNEX_FLOW_DB: db,
    });
    expect(run.stderr).toContain('secret values are kept in memory only');
    expect(run.code).toBe(0);
    expect(await keysTitled(w.mock, 'on-pg')).toBe(1);
    const runId = /^run (\S+) test-orders started$/m.exec(run.stdout)?.[1];
    const runs = await w.cli(['runs'], { FORNEX_FLOW_DB: db });
    expect(runs.code).toBe(0);
    expect(runs.stdout).toContain(runId);
    const show = await w.cli(['show', runId as string], { FORNEX_FLOW_DB: db });
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/completed/);
    for (const output of w.outputs) {
      expect(output).not.toContain(PERSONAL_API_KEY);
      expect(output).not.toContain('fornex_flow:fornex_flow@');
    }
  });

  it('?asyncCommits=false makes every commit wait for its flush; by default idempotent progress does not', async () => {
    // A trigger on the schema's history records the synchronous_commit each insert's transaction saw.
    const settingsOf = async (asyncCommits: string | undefined) => {
      const w = await createCliWorld();
      const db = dbUrl();
      const schema = new URL(db).searchParams.get('schema') as string;
      expect((await w.cli(['runs'], { FORNEX_FLOW_DB: db })).code).toBe(0); // creates the schema
      const client = new pg.Client(url);
      await client.connect();
      try {
        await client.query(`
          CREATE TABLE "${schema}".seen (id bigserial PRIMARY KEY, setting text NOT NULL);
          CREATE FUNCTION "${schema}".record_setting() RETURNS trigger LANGUAGE plpgsql AS $fn$
          BEGIN
            INSERT INTO "${schema}".seen (setting) VALUES (current_setting('synchronous_commit'));
            RETURN NEW;
          END $fn$;
          CREATE TRIGGER record_history AFTER INSERT ON "${schema}".history
            FOR EACH ROW EXECUTE FUNCTION "${schema}".record_setting();`);
        const target = asyncCommits === undefined ? db : `${db}&asyncCommits=${asyncCommits}`;
        const run = await w.cli(['run', 'test-orders', '--set', 'title=durable', '--set', 'pauseMs=0'], {
          FORNEX_FLOW_DB: target,
        });
        expect(run.code).toBe(0);
        return (await client.query<{ setting: string }>(`SELECT setting FROM "${schema}".seen ORDER BY id`)).rows.map(
          (row) => row.setting,
        );
      } finally {
        await client.end();
      }
    };
    const byDefault = await settingsOf(undefined);
    expect(byDefault).toContain('off');
    const waiting = await settingsOf('false');
    expect(waiting.length).toBeGreaterThanOrEqual(byDefault.length);
    expect(waiting.filter((setting) => setting === 'off')).toEqual([]);

    const w = await createCliWorld();
    const bad = await w.cli(['runs'], { FORNEX_FLOW_DB: `${dbUrl()}&asyncCommits=maybe` });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('fornex-flow: asyncCommits in the database URL must be true or false, not "maybe"\n');
  });

  it('keeps schedules in PostgreSQL: add, list, remove', async () => {
    const w = await createCliWorld();
    const env = { FORNEX_FLOW_DB: dbUrl() };
    const added = await w.cli(['schedule', 'add', 'test-orders', '--cron', '0 0 * * *', '--set', 'title=nightly'], env);
    expect(added.code).toBe(0);
    const id = /^schedule (\S+):/m.exec(added.stdout)?.[1] as string;
    const listed = await w.cli(['schedule', 'list'], env);
    expect(listed.stdout).toContain(`${id}  test-orders  "0 0 * * *" UTC`);
    expect((await w.cli(['schedule', 'remove', id], env)).code).toBe(0);
    expect((await w.cli(['schedule', 'list'], env)).stdout).toMatch(/^no schedules/m);
  });

  it('a server that refuses the connection is one clear line, exit 1, the password masked', async () => {
    const w = await createCliWorld();
    const bad = new URL(url as string);
    bad.password = 'wrong-password';
    const { code, stdout, stderr } = await w.cli(['runs'], { FORNEX_FLOW_DB: bad.href });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^fornex-flow: cannot open the database postgres:\/\/fornex_flow:\*\*\*@/);
    expect(stderr).not.toContain('wrong-password');
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
