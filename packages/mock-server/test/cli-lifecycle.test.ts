// How a harness in any language drives the fornex-mock command line: the ready file tells when
// and where it listens, and the server never outlives the process that started it.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, onTestFinished } from 'vitest';
import { get } from './helpers.js';

const BIN = fileURLToPath(new URL('../bin/fornex-mock.js', import.meta.url));

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'fornex-mock-life-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** True once nothing answers at `url` any more. */
async function stopped(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/__mock/clock`, { signal: AbortSignal.timeout(1000) });
    return false;
  } catch {
    return true;
  }
}

describe('fornex-mock lifecycle', () => {
  it('--ready-file holds the URL once it listens, and is removed when it stops', async () => {
    const file = join(await tempDir(), 'ready');
    const child = spawn(process.execPath, [BIN, '--port', '0', '--ready-file', file], { stdio: 'ignore' });
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    await expect.poll(() => existsSync(file), { timeout: 15_000 }).toBe(true);
    const url = (await readFile(file, 'utf8')).trim();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await get({ url }, '/api/account/balance')).status).toBe(200);

    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(existsSync(file)).toBe(false);
    expect(await stopped(url)).toBe(true);
  }, 30_000);

  it('stops when the process that started it dies without passing the signal on (as under npx)', async () => {
    // npx runs the bin through `sh -c`; a signal that kills the shell never reaches node.
    const shell = spawn('sh', ['-c', `"${process.execPath}" "${BIN}" --port 0; true`], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    onTestFinished(() => {
      shell.kill('SIGKILL');
    });
    const url = await new Promise<string>((resolve) => createInterface({ input: shell.stdout! }).once('line', resolve));
    expect((await get({ url }, '/api/account/balance')).status).toBe(200);
    shell.kill('SIGKILL');
    await expect.poll(() => stopped(url), { timeout: 15_000, interval: 200 }).toBe(true);
  }, 30_000);
});
