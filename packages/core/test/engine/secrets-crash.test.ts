import { randomBytes } from 'node:crypto';
import { type RunningMockServer, startMockServer } from '@fornex-flow/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CrashPoint } from '../../src/engine/index.js';
import { type ChildExit, fixturePath, runChildProcess } from './child-process.js';
import { databaseBytes, tempDbPath } from './helpers.js';

const fixture = fixturePath('secrets-child.mjs');
// The values of fixtures/secrets-child.mjs; the short one (3 characters: 2 match WAL checksums by chance) has characters base64 never holds.
const secretInput = {
  password: 'child-pass-0c4d2e',
  tag: '~^~',
  pin: 318_662,
  creds: { user: 'ops-7d1e5a', port: 47_209 },
};
const secrets = [
  'PERSONAL_API_KEY',
  secretInput.password,
  secretInput.tag,
  String(secretInput.pin),
  secretInput.creds.user,
  String(secretInput.creds.port),
  'issued-pw-a81f33',
  '552901',
];
const expectedOutput = {
  orderId: '77-1',
  note: 'note: issued-pw-a81f33 replaces child-pass-0c4d2e',
  tag: '~^~',
  code: 552_901,
};
const secretKey = randomBytes(32).toString('base64');
let mock: RunningMockServer;

function runChild(dbPath: string, env: Record<string, string> = {}, killAfterMs?: number): Promise<ChildExit> {
  return runChildProcess(fixture, { MOCK_URL: mock.url, DB_PATH: dbPath, ...env }, killAfterMs);
}

/** Greps every file of the database (main, -wal, -shm) for every secret. */
function expectNoSecretIn(dbPath: string, runCreated = true) {
  const bytes = databaseBytes(dbPath);
  if (runCreated) expect(bytes.includes('77-1'), 'the run is in the database').toBe(true);
  for (const secret of secrets) expect(bytes.includes(secret), `the database holds ${secret}`).toBe(false);
}

beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});
afterAll(async () => mock?.close());

describe('secrets after SIGKILL and resume in a new process', { timeout: 60_000 }, () => {
  it('a clean run stores no secret, with a key or without', async () => {
    for (const env of [{ SECRET_KEY: secretKey }, {}] as Record<string, string>[]) {
      const dbPath = tempDbPath();
      const exit = await runChild(dbPath, env);
      expect(exit, exit.stderr).toMatchObject({ code: 0 });
      expect(JSON.parse(exit.stdout)).toEqual({ output: expectedOutput });
      expectNoSecretIn(dbPath);
    }
  });

  const points = [
    { name: CrashPoint.AfterStartCommit, after: '0' },
    { name: CrashPoint.AfterEffectBeforeRecord, after: '0' },
    { name: CrashPoint.MidTimer, after: '0' },
    { name: CrashPoint.AfterTransitionCommit, after: '2' },
  ];
  for (const point of points) {
    it(`with a key: killed at ${point.name}, resumed, every secret back and none stored`, async () => {
      const dbPath = tempDbPath();
      const env = { SECRET_KEY: secretKey };
      const crashed = await runChild(dbPath, {
        ...env,
        FORNEX_FLOW_CRASH_AT: point.name,
        FORNEX_FLOW_CRASH_AFTER: point.after,
      });
      expect(crashed.signal, crashed.stderr).toBe('SIGKILL');
      expectNoSecretIn(dbPath);
      const resumed = await runChild(dbPath, env);
      expect(resumed, resumed.stderr).toMatchObject({ code: 0 });
      expect(JSON.parse(resumed.stdout)).toEqual({ output: expectedOutput });
      expectNoSecretIn(dbPath);
    });
  }

  it('with a key: survives SIGKILLs at random moments', async () => {
    const dbPath = tempDbPath();
    const env = { SECRET_KEY: secretKey, PAUSE_MS: '400' };
    let exit: ChildExit | undefined;
    let kills = 0;
    for (let round = 0; round < 5; round++) {
      exit = await runChild(dbPath, env, 100 + Math.floor(Math.random() * 700));
      if (exit.signal !== 'SIGKILL') break;
      kills++;
      expectNoSecretIn(dbPath, false);
    }
    if (exit?.signal === 'SIGKILL') exit = await runChild(dbPath, env);
    expect(exit, exit?.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(exit?.stdout ?? '')).toEqual({ output: expectedOutput });
    expect(kills).toBeGreaterThan(0);
    expectNoSecretIn(dbPath);
  });

  it('without a key: secret inputs supplied again resume the run; a secret output never written gives SECRET_UNAVAILABLE', async () => {
    const early = tempDbPath();
    const crashedEarly = await runChild(early, { FORNEX_FLOW_CRASH_AT: CrashPoint.AfterStartCommit });
    expect(crashedEarly.signal, crashedEarly.stderr).toBe('SIGKILL');
    const unsupplied = await runChild(early);
    expect(JSON.parse(unsupplied.stdout)).toEqual({
      failed: [{ code: 'SECRET_UNAVAILABLE', message: expect.stringContaining('"password"') }],
    });
    const supplied = await runChild(early, { SECRET_INPUT: JSON.stringify(secretInput) });
    expect(supplied, supplied.stderr).toMatchObject({ code: 0 });
    expect(JSON.parse(supplied.stdout)).toEqual({ output: expectedOutput });
    expectNoSecretIn(early);

    const late = tempDbPath();
    const crashedLate = await runChild(late, { FORNEX_FLOW_CRASH_AT: CrashPoint.MidTimer });
    expect(crashedLate.signal, crashedLate.stderr).toBe('SIGKILL');
    const stuck = await runChild(late, { SECRET_INPUT: JSON.stringify(secretInput) });
    expect(JSON.parse(stuck.stdout)).toEqual({
      failed: [{ code: 'SECRET_UNAVAILABLE', message: expect.stringContaining('secret output of step issue#1') }],
    });
    expectNoSecretIn(late);
  });
});
