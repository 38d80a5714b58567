import { type RunningMockServer, startMockServer } from '@fornex-flow/mock-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CrashPoint } from '../../src/engine/index.js';
import { type ChildExit, fixturePath, runChildProcess } from './child-process.js';
import { tempDbPath } from './helpers.js';

const fixture = fixturePath('dns-child.mjs');
const hosts = ['h1', 'h2', 'h3'];
let mock: RunningMockServer;

/** Runs the child; `killAfterMs` SIGKILLs it from here after that long (a random crash point). */
function runChild(dbPath: string, env: Record<string, string> = {}, killAfterMs?: number): Promise<ChildExit> {
  const base = { MOCK_URL: mock.url, DB_PATH: dbPath, RECORDS: hosts.join(',') };
  return runChildProcess(fixture, { ...base, ...env }, killAfterMs);
}

/** What the mock shows: our records, and how many POSTs reached the add endpoint. */
async function mockOutcome(ours: string[] = hosts) {
  const url = `${mock.url}/api/dns/v0.1/example.com/entry_set.json?apikey=PERSONAL_API_KEY`;
  const { entry_set: records } = (await (await fetch(url)).json()) as {
    entry_set: { host: string; type: string; value: string }[];
  };
  const journal = (await (await fetch(`${mock.url}/__mock/requests?limit=1000`)).json()) as {
    requests: { method: string; path: string; status: number }[];
  };
  const adds = journal.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/entry_set/add/'));
  return {
    records: records
      .filter((r) => ours.includes(r.host))
      .map((r) => `${r.host} ${r.type} ${r.value}`)
      .sort(),
    addPosts: adds.length,
  };
}

async function resetMock() {
  await fetch(`${mock.url}/__mock/reset`, { method: 'POST' });
  await fetch(`${mock.url}/__mock/requests`, { method: 'DELETE' });
}

let clean: Awaited<ReturnType<typeof mockOutcome>>;

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
  await resetMock();
  const exit = await runChild(tempDbPath());
  expect(exit, exit.stderr).toMatchObject({ code: 0 });
  expect(JSON.parse(exit.stdout)).toEqual({ added: hosts });
  clean = await mockOutcome();
});
afterAll(async () => mock?.close());
beforeEach(resetMock);

// A resumed step that was in flight waits until the killed attempt has settled (deadline +
// timeoutMs + clock skew: 1.1 s with the child's 2 s lease), on top of the child processes' start-up.
describe('crash recovery: SIGKILL, then a fresh process resumes, and no effect runs twice', { timeout: 30_000 }, () => {
  it('the clean run adds each record once', () => {
    expect(clean).toEqual({ records: hosts.map((h) => `${h} A 192.0.2.10`), addPosts: 3 });
  });

  const points = [
    // `left`: the records the killed process had already added (checks the kill landed where named).
    { name: CrashPoint.BeforeStepRecord, after: '1', left: ['h1'] },
    { name: CrashPoint.AfterEffectBeforeRecord, after: '1', left: ['h1', 'h2'] },
    { name: CrashPoint.MidTimer, after: '0', left: ['h1'] },
    { name: CrashPoint.AfterStartCommit, after: '0', left: [] },
    { name: CrashPoint.AfterTransitionCommit, after: '2', left: ['h1', 'h2'] },
  ];
  for (const point of points) {
    it(`crash at ${point.name} (hit ${Number(point.after) + 1})`, async () => {
      const dbPath = tempDbPath();
      const crashed = await runChild(dbPath, {
        FORNEX_FLOW_CRASH_AT: point.name,
        FORNEX_FLOW_CRASH_AFTER: point.after,
      });
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expect((await mockOutcome()).records).toEqual(point.left.map((h) => `${h} A 192.0.2.10`));
      const resumed = await runChild(dbPath);
      expect(resumed, resumed.stderr).toMatchObject({ code: 0 });
      expect(JSON.parse(resumed.stdout)).toEqual({ added: hosts });
      expect(await mockOutcome()).toEqual(clean);
    }, 30_000);
  }

  it('survives repeated SIGKILLs at random moments', async () => {
    const dbPath = tempDbPath();
    let exit: ChildExit | undefined;
    let kills = 0;
    for (let round = 0; round < 6; round++) {
      // With 400 ms pauses a run lasts over a second, so the kills land anywhere in it: at start-up,
      // mid-request, mid-commit, asleep on a timer.
      exit = await runChild(dbPath, { PAUSE_MS: '400' }, 100 + Math.floor(Math.random() * 800));
      if (exit.signal !== 'SIGKILL') break;
      kills++;
    }
    // The same PAUSE_MS: it is part of the machine (its `after` event's name), and a resume under a
    // different machine of the same version would wait for an event the new machine never accepts.
    if (exit?.signal === 'SIGKILL') exit = await runChild(dbPath, { PAUSE_MS: '400' });
    expect(exit, exit?.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(exit?.stdout ?? '')).toEqual({ added: hosts });
    expect(await mockOutcome()).toEqual(clean);
    expect(kills).toBeGreaterThan(0);
  }, 60_000);

  it('two processes share the runs of a killed third: each run taken by one process, no effect twice', async () => {
    const dbPath = tempDbPath();
    const fleet = ['f1', 'f2', 'f3', 'f4', 'f5', 'f6'];
    const env = { MODE: 'fleet', RECORDS: fleet.join(','), LEASE_MS: '1000', PAUSE_MS: '50' };
    const creator = await runChild(dbPath, {
      ...env,
      CREATE: '1',
      OWNER_ID: 'a',
      FORNEX_FLOW_CRASH_AT: CrashPoint.AfterEffectBeforeRecord,
      FORNEX_FLOW_CRASH_AFTER: '2',
    });
    expect(creator.signal, creator.stderr).toBe('SIGKILL');
    // B and C start together; A's leases expire within a second and they race to take its runs over.
    const [b, c] = await Promise.all([
      runChild(dbPath, { ...env, OWNER_ID: 'b' }),
      runChild(dbPath, { ...env, OWNER_ID: 'c' }),
    ]);
    expect(b, b.stderr).toMatchObject({ code: 0 });
    expect(c, c.stderr).toMatchObject({ code: 0 });
    const outcome = await mockOutcome(fleet);
    expect(outcome).toEqual({ records: fleet.map((h) => `${h} A 192.0.2.10`), addPosts: fleet.length });
  }, 60_000);
});
