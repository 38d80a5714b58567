import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type RunningMockServer, startMockServer } from '@fornex-flow/mock-server';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, pgUrl } from './pg-url.js';

const url = pgUrl();
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'worker.mjs');
const workers = 4;
const runsPerWorker = 50;
const total = workers * runsPerWorker;

interface Worker {
  child: ChildProcess;
  started: Promise<void>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function startWorker(env: Record<string, string>): Worker {
  const child = spawn(process.execPath, [fixture], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  let markStarted: () => void = () => {};
  const started = new Promise<void>((resolve) => {
    markStarted = resolve;
  });
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
    if (stdout.includes('started\n')) markStarted();
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const exit = new Promise<Awaited<Worker['exit']>>((resolve) =>
    child.on('exit', (code, signal) => {
      markStarted();
      resolve({ code, signal, stdout, stderr });
    }),
  );
  return { child, started, exit };
}

describe.skipIf(!url)('many workers on one PostgreSQL database', () => {
  let mock: RunningMockServer;
  const schema = freshSchema('workers');
  beforeAll(async () => {
    mock = await startMockServer({ port: 0, journalSize: 5000 });
  });
  afterAll(async () => {
    await mock?.close();
    if (url) await dropSchema(url, schema);
  });

  it(`${workers} processes, ${total} runs with a non-idempotent POST each, 2 workers SIGKILLed and connections terminated: every run completes, every POST once`, async () => {
    const pgEnv = {
      PG_URL: url as string,
      PG_SCHEMA: schema,
      MOCK_URL: mock.url,
      TOTAL: String(total),
      LEASE_MS: '4000',
    };
    const fleet = Array.from({ length: workers }, (_, w) =>
      startWorker({
        ...pgEnv,
        HOSTS: Array.from({ length: runsPerWorker }, (_, i) => `w${w}-${i}`).join(','),
      }),
    );
    await Promise.all(fleet.map((worker) => worker.started));
    // Mid-way: two workers die, and the server drops every connection of the survivors once.
    await new Promise((resolve) => setTimeout(resolve, 300));
    fleet[0]?.child.kill('SIGKILL');
    fleet[1]?.child.kill('SIGKILL');
    const admin = new pg.Client(url);
    await admin.connect();
    const terminated = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND usename = current_user AND application_name = ''`,
    );
    await admin.end();
    const survivors = await Promise.all(fleet.slice(2).map((worker) => worker.exit));
    for (const exit of survivors) expect(exit, exit.stderr).toMatchObject({ code: 0 });
    expect(terminated.rowCount).toBeGreaterThan(0);

    // Every run completed, in the database...
    const db = new pg.Client(url);
    await db.connect();
    const statuses = await db.query(`SELECT status, count(*)::int AS n FROM "${schema}".runs GROUP BY status`);
    await db.end();
    expect(statuses.rows).toEqual([{ status: 'completed', n: total }]);
    // ...and in the world: each record exactly once, and one successful POST per run (a second
    // POST of the same record would show in the journal as a refused duplicate).
    const records = (await (
      await fetch(`${mock.url}/api/dns/v0.1/example.com/entry_set.json?apikey=PERSONAL_API_KEY`)
    ).json()) as { entry_set: { host: string; value: string }[] };
    const ours = records.entry_set.filter((r) => r.value === '192.0.2.20').map((r) => r.host);
    expect(ours.length).toBe(total);
    expect(new Set(ours).size).toBe(total);
    const journal = (await (await fetch(`${mock.url}/__mock/requests?limit=5000`)).json()) as {
      requests: { method: string; path: string; status: number; body: string }[];
    };
    const posts = journal.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/entry_set/add/'));
    const postsPerHost = new Map<string, number>();
    for (const post of posts) {
      const host = /host=([^&]+)/.exec(post.body)?.[1] ?? '?';
      postsPerHost.set(host, (postsPerHost.get(host) ?? 0) + 1);
    }
    const twice = [...postsPerHost].filter(([, count]) => count > 1);
    expect(posts.length, `hosts POSTed more than once: ${JSON.stringify(twice.slice(0, 10))}`).toBe(total);
  }, 120_000);
});
