// The fornex-mock command line, run as a child process from the built dist (`npm test` builds first).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { get, state } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/fornex-mock.js', import.meta.url));

/** Starts the CLI and resolves with its base URL (its first stdout line); killed when the test ends. */
async function startCli(args: string[]): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const lines = createInterface({ input: child.stdout! });
  const url = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    child.once('exit', (code) =>
      reject(new Error(`fornex-mock exited with ${code} before printing its URL: ${stderr}`)),
    );
  });
  return { url, child };
}

/** Runs the CLI to its end (for flags that make it exit). */
function runCli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    // A CLI that starts instead of exiting would hang the test: stop it, and let the code show it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fornex-mock-cli-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('fornex-mock CLI', () => {
  it('prints its base URL first and serves the API there; SIGTERM stops it cleanly', async () => {
    const { url, child } = await startCli(['--port', '0']);
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await get({ url }, '/api/account/balance')).text).toBe('{"balance": 91.0, "currency": "EUR"}');

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('--dialect ru answers in the ru dialect; --error-status 400 sets the status of errors', async () => {
    const { url } = await startCli(['--port', '0', '--dialect', 'ru', '--error-status', '400']);
    const reply = await get({ url }, '/api/vps/passwd_reset/34-177054/');
    expect(Object.keys(reply.json as object)).toEqual(['passwd', 'ok']);
    const missing = await get({ url }, '/api/vps/status/34-999999/');
    expect(missing.status).toBe(400);
    expect(missing.json).toEqual({ error: 'Заказ не найден.' });
  });

  it('--scale 3 adds three generated VPS orders', async () => {
    const { url } = await startCli(['--port', '0', '--scale', '3']);
    const { url: plain } = await startCli(['--port', '0']);
    const count = async (base: string) => ((await get({ url: base }, '/api/orders/list')).json as unknown[]).length;
    expect((await count(url)) - (await count(plain))).toBe(3);
  });

  it('--seed loads a world file', async () => {
    const { url: source } = await startCli(['--port', '0']);
    const world = (await state({ url: source })).json;
    world.tenants[0]!.account.balance = 4321.25;
    const file = join(await tempDir(), 'world.json');
    await writeFile(file, JSON.stringify(world));

    const { url } = await startCli(['--port', '0', '--seed', file]);
    expect((await get({ url }, '/api/account/balance')).text).toBe('{"balance": 4321.25, "currency": "EUR"}');
  });

  it('exits 2 with a usage message and no stack trace on bad flags', async () => {
    const cases = [
      ['--bogus'],
      ['--port', 'abc'],
      ['--port', '70000'],
      ['--dialect', 'de'],
      ['--scale', '-1'],
      ['--error-status', '500'],
      ['stray-argument'],
    ];
    // In parallel: each is a node start-up, and they are independent.
    const results = await Promise.all(cases.map(runCli));
    for (const [i, args] of cases.entries()) {
      const { code, stdout, stderr } = results[i]!;
      expect(code, args.join(' ')).toBe(2);
      expect(stderr, args.join(' ')).toMatch(/^fornex-mock: /);
      expect(stderr, args.join(' ')).toContain('Usage: fornex-mock');
      expect(stderr, args.join(' ')).not.toMatch(/\n\s+at /);
      expect(stdout).toBe('');
    }
    // Seven node start-ups at once: slow on a loaded machine, so more than the default 5 s.
  }, 30_000);

  it('exits 2 with a clear message for a bad --seed file', async () => {
    const dir = await tempDir();
    const garbage = join(dir, 'garbage.json');
    await writeFile(garbage, 'this is not json');
    const invalid = join(dir, 'invalid.json');
    await writeFile(invalid, JSON.stringify({ version: 1, keys: [] }));

    const cases = [
      [garbage, /cannot read --seed .*garbage\.json/],
      [invalid, /--seed .*invalid\.json: invalid world state: .*tenants/],
      [join(dir, 'missing.json'), /cannot read --seed .*missing\.json/],
    ] as const;
    const results = await Promise.all(cases.map(([file]) => runCli(['--port', '0', '--seed', file])));
    for (const [i, [file, message]] of cases.entries()) {
      const { code, stderr } = results[i]!;
      expect(code, file).toBe(2);
      expect(stderr).toMatch(message);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('--help prints the usage and exits 0', async () => {
    const { code, stdout } = await runCli(['--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('Usage: fornex-mock');
  });
});
