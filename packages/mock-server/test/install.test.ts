// The mock as another team gets it: packed with `npm pack`, installed into an empty folder, run
// with `npx fornex-mock`. No native build may be needed, and stopping npx stops the server.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { get } from './helpers.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const NPX = process.platform === 'win32' ? 'npx.cmd' : 'npx';

/** Every file under `dir` whose name ends in `.node` (a compiled addon). */
async function nativeAddons(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith('.node')).map((e) => join(e.parentPath, e.name));
}

async function stopped(url: string): Promise<boolean> {
  try {
    await fetch(`${url}/__mock/clock`, { signal: AbortSignal.timeout(1000) });
    return false;
  } catch {
    return true;
  }
}

let project = '';

describe('installed from packed tarballs into an empty folder', () => {
  beforeAll(async () => {
    const work = await mkdtemp(join(tmpdir(), 'fornex-mock-install-'));
    const packs = join(work, 'packs');
    project = join(work, 'project');
    await mkdir(packs, { recursive: true });
    await mkdir(project, { recursive: true });
    // The mock and its workspace dependency, as `npm publish` would ship them.
    await run(NPM, ['pack', '-w', '@fornex-flow/core', '-w', '@fornex-flow/mock-server', '--pack-destination', packs], {
      cwd: ROOT,
    });
    const tarballs = (await readdir(packs)).filter((f) => f.endsWith('.tgz')).map((f) => join(packs, f));
    expect(tarballs).toHaveLength(2);
    await writeFile(join(project, 'package.json'), '{"name": "consumer", "private": true}');
    // The npm cache first: the packed tarballs are local, their dependencies usually cached already.
    await run(NPM, ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', ...tarballs], {
      cwd: project,
    });
    return () => rm(work, { recursive: true, force: true });
  }, 240_000);

  it('holds no native addon', async () => {
    expect(existsSync(join(project, 'node_modules', '@fornex-flow', 'mock-server'))).toBe(true);
    expect(await nativeAddons(join(project, 'node_modules'))).toEqual([]);
  });

  /** Starts `npx fornex-mock` in its own process group; resolves with it and its URL from the ready file. */
  async function startNpx(name: string) {
    const ready = join(project, `ready-${name}`);
    const npx = spawn(NPX, ['fornex-mock', '--port', '0', '--ready-file', ready], {
      cwd: project,
      stdio: 'ignore',
      detached: true,
    });
    onTestFinished(() => {
      try {
        if (npx.pid !== undefined) process.kill(-npx.pid, 'SIGKILL');
      } catch {
        // The whole group has exited already (ESRCH): nothing is left to stop.
      }
    });
    await expect.poll(() => existsSync(ready), { timeout: 30_000, interval: 100 }).toBe(true);
    const url = (await readFile(ready, 'utf8')).trim();
    expect((await get({ url }, '/api/account/balance')).text).toBe('{"balance": 91.0, "currency": "EUR"}');
    return { npx, url };
  }

  it('npx fornex-mock serves, and SIGTERM to npx alone stops the server', async () => {
    const { npx, url } = await startNpx('term');
    npx.kill('SIGTERM');
    await expect.poll(() => stopped(url), { timeout: 15_000, interval: 200 }).toBe(true);
  }, 60_000);

  it('Ctrl-C (SIGINT to the process group, as a terminal sends it) stops the server', async () => {
    const { npx, url } = await startNpx('int');
    process.kill(-(npx.pid as number), 'SIGINT');
    await expect.poll(() => stopped(url), { timeout: 15_000, interval: 200 }).toBe(true);
  }, 60_000);
});
