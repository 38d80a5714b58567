import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PERSONAL_API_KEY, type RunningMockServer, startMockServer } from '@fornex-flow/mock-server';
import { onTestFinished } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The built CLI, as the package's bin runs it. */
export const binPath = path.resolve(here, '../../dist/cli/bin.js');
/** The test recipes (test-orders, test-order-status), loaded through FORNEX_FLOW_RECIPES. */
export const testRecipesPath = path.join(here, 'fixtures', 'test-recipes.mjs');
export { PERSONAL_API_KEY };

/** What one CLI process did. */
export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** A mock on port 0 and a temporary database folder, for one test. */
export interface CliWorld {
  mock: RunningMockServer;
  dir: string;
  dbPath: string;
  env: Record<string, string>;
  /** Every output of every CLI process of the test (for the key-never-printed checks). */
  outputs: string[];
  cli(args: string[], extraEnv?: Record<string, string>): Promise<CliResult>;
  spawn(args: string[], extraEnv?: Record<string, string>): RunningCli;
  /** The database files' bytes (main file and WAL), as latin1 text. */
  dbText(): string;
}

/** A CLI process still running. */
export interface RunningCli {
  child: ChildProcessWithoutNullStreams;
  /** Resolves with the first stdout line after the last one a wait matched that satisfies `match`. */
  waitForLine(match: (line: string) => boolean): Promise<string>;
  exited: Promise<CliResult>;
}

/**
 * Spawns the built CLI with exactly this env; its outputs are added to `outputs` when it exits.
 * `waitForLine` reads stdout in order: each call looks at the lines after the one the last
 * resolved call matched, including lines that arrived before the call (several lines often come
 * in one chunk, and a test's next wait is registered only after the previous one resolved).
 */
export function spawnCli(args: string[], env: Record<string, string>, outputs: string[]): RunningCli {
  const child = spawn(process.execPath, [binPath, ...args], { env: env as NodeJS.ProcessEnv });
  let stdout = '';
  let stderr = '';
  const lines: string[] = [];
  /** The index of the first line no resolved wait has passed. */
  let cursor = 0;
  const waiters: { match: (line: string) => boolean; resolve: (line: string) => void }[] = [];
  const matched = (index: number) => {
    cursor = Math.max(cursor, index + 1);
    return lines[index] as string;
  };
  let pending = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk;
    pending += chunk;
    const arrived = pending.split('\n');
    pending = arrived.pop() ?? '';
    for (const line of arrived) {
      lines.push(line);
      for (const waiter of [...waiters]) {
        if (!waiter.match(line)) continue;
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(matched(lines.length - 1));
      }
    }
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk;
  });
  const exited = new Promise<CliResult>((resolve) => {
    child.on('exit', (code, signal) => {
      outputs.push(stdout, stderr);
      resolve({ code, signal, stdout, stderr });
    });
  });
  return {
    child,
    exited,
    waitForLine: (match) =>
      new Promise((resolve, reject) => {
        for (let index = cursor; index < lines.length; index++)
          if (match(lines[index] as string)) return resolve(matched(index));
        waiters.push({ match, resolve });
        exited.then((r) =>
          reject(new Error(`the CLI exited (${r.code ?? r.signal}) first:\n${r.stdout}\n${r.stderr}`)),
        );
      }),
  };
}

/**
 * Tracks the CLI processes of one test; when the test ends (a failure or a timeout included) the
 * ones still running are SIGKILLed, so a worker never outlives its test. Returns the tracker.
 */
export function reapChildrenAtEnd(onFinished: (cleanup: () => void) => void): (running: RunningCli) => RunningCli {
  const children = new Set<RunningCli>();
  onFinished(() => {
    for (const { child } of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return (running) => {
    children.add(running);
    void running.exited.then(() => children.delete(running));
    return running;
  };
}

/** The env of a CLI process of a test: this process's env without any key, plus the mock, the key and the database. */
export function cliEnv(
  mock: RunningMockServer,
  db: string,
  extra: Record<string, string> = {},
): Record<string, string> {
  const { FORNEX_API_KEY: _k, FORNEX_FLOW_SECRET_KEY: _s, FORNEX_FLOW_CRASH_AT: _c, ...inherited } = process.env;
  return {
    ...(inherited as Record<string, string>),
    NO_COLOR: '1',
    FORNEX_BASE_URL: mock.url,
    FORNEX_API_KEY: PERSONAL_API_KEY,
    FORNEX_FLOW_DB: db,
    ...extra,
  };
}

/** Starts a mock (port 0, 3 generated VPS orders) and a temp dir; both go when the test ends. */
export async function createCliWorld(): Promise<CliWorld> {
  const mock = await startMockServer({ port: 0, scale: 3 });
  const dir = mkdtempSync(path.join(tmpdir(), 'fornex-flow-cli-'));
  const dbPath = path.join(dir, 'runs.db');
  const reaped = reapChildrenAtEnd(onTestFinished);
  onTestFinished(async () => {
    await mock.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = cliEnv(mock, dbPath, { FORNEX_FLOW_RECIPES: testRecipesPath });
  const outputs: string[] = [];
  const spawn = (args: string[], extraEnv: Record<string, string> = {}) =>
    reaped(spawnCli(args, { ...env, ...extraEnv }, outputs));
  return {
    mock,
    dir,
    dbPath,
    env,
    outputs,
    spawn,
    cli: (args, extraEnv = {}) => spawn(args, extraEnv).exited,
    dbText: () =>
      [dbPath, `${dbPath}-wal`]
        .filter((file) => existsSync(file))
        .map((file) => readFileSync(file).toString('latin1'))
        .join('\n'),
  };
}

/** Parses NDJSON stdout; throws on any line that is not a JSON object. */
export function ndjson(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => {
      const value = JSON.parse(line) as unknown;
      if (value === null || typeof value !== 'object' || Array.isArray(value))
        throw new Error(`not an object: ${line}`);
      return value as Record<string, unknown>;
    });
}

/** The SSH keys of the mock's default account with this title. */
export async function keysTitled(mock: RunningMockServer, title: string): Promise<number> {
  const response = await fetch(`${mock.url}/api/ssh_keys/?apikey=${PERSONAL_API_KEY}`);
  const keys = (await response.json()) as { title: string }[];
  return keys.filter((key) => key.title === title).length;
}

/** POSTs the mock received, by path. */
export async function mockPosts(mock: RunningMockServer): Promise<string[]> {
  const journal = (await (await fetch(`${mock.url}/__mock/requests?limit=1000`)).json()) as {
    requests: { method: string; path: string }[];
  };
  return journal.requests.filter((r) => r.method === 'POST').map((r) => r.path);
}
