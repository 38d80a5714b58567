import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrations } from '../src/migrations.js';

// Several engines on one host may start at once against a database nobody has created yet (the
// stalled-owner test does, and so does a fleet of `fornex-flow worker`s). Each child process opens
// the store the instant a shared start time arrives; every one must open it, migrated once.

const dir = mkdtempSync(join(tmpdir(), 'open-together-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
// The built package (the test task builds it first), as another process would load it.
const storeModule = new URL('../dist/index.js', import.meta.url).href;

const child = `
const { sqliteStore } = await import(process.env.STORE_MODULE);
const wait = Number(process.env.START_AT) - Date.now();
if (wait > 0) { const until = Date.now() + wait; while (Date.now() < until); }
try {
  const store = sqliteStore({ path: process.env.DB_PATH });
  store.close();
  process.stdout.write('opened');
} catch (error) {
  process.stdout.write('failed: ' + error.message);
  process.exitCode = 1;
}`;

/** Starts `count` processes that open the store at `path` at the same moment; their outputs. */
async function openTogether(path: string, count: number): Promise<string[]> {
  const startAt = Date.now() + 1500;
  const children = Array.from({ length: count }, () =>
    spawn(process.execPath, ['--input-type=module', '-e', child], {
      env: { ...process.env, STORE_MODULE: storeModule, DB_PATH: path, START_AT: String(startAt) },
    }),
  );
  return Promise.all(
    children.map(
      (proc) =>
        new Promise<string>((resolve) => {
          let out = '';
          proc.stdout.on('data', (chunk) => (out += chunk));
          proc.stderr.on('data', (chunk) => (out += chunk));
          proc.on('exit', () => resolve(out.trim()));
        }),
    ),
  );
}

describe('processes opening one new database at once', () => {
  it('all open it, and each migration is applied once', async () => {
    const failures: string[] = [];
    for (let round = 0; round < 6; round++) {
      const path = join(dir, `fresh-${round}.db`);
      const outputs = await openTogether(path, 4);
      for (const output of outputs) if (output !== 'opened') failures.push(`round ${round}: ${output}`);
      const db = new Database(path, { readonly: true });
      const names = db.prepare('SELECT name FROM schema_migrations ORDER BY name').pluck().all();
      db.close();
      if (names.join() !== migrations.map((m) => m.name).join()) failures.push(`round ${round}: migrations ${names}`);
    }
    expect(failures).toEqual([]);
  }, 60_000);
});
