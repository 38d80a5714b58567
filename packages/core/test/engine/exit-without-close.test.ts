import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fixturePath, runChildProcess } from './child-process.js';
import { tempDbPath } from './helpers.js';

// An engine a script forgot to close must not keep the script running forever: its housekeeping
// (the takeover sweep, lease renewal, the checkpoint worker) does not hold the process open, only
// work of its runs does (a step in flight, a timer due). The child is SIGKILLed after 20 s, which
// fails the test; a healthy child exits about 1.5 s after it starts.

const child = fixturePath('unclosed-child.mjs');
const statusOf = (dbPath: string, runId: string) => {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare('SELECT status FROM runs WHERE id = ?').pluck().get(runId);
  } finally {
    db.close();
  }
};

describe('an engine that is never closed', () => {
  it('lets its process exit once its run is done', async () => {
    const dbPath = tempDbPath();
    const exit = await runChildProcess(child, { DB_PATH: dbPath, MODE: 'await' }, 20_000);
    expect(exit).toMatchObject({ code: 0, signal: null, stderr: '' });
    expect(exit.stdout).toMatch(/^started (\S+)\ndone "rested"\n$/);
  });

  it('keeps its process alive while a run it drives sleeps on a timer, and no longer', async () => {
    const dbPath = tempDbPath();
    const exit = await runChildProcess(child, { DB_PATH: dbPath, MODE: 'detached' }, 20_000);
    expect(exit).toMatchObject({ code: 0, signal: null, stderr: '' });
    const runId = /^started (\S+)\n$/.exec(exit.stdout)?.[1] as string;
    // The main module ended at once; the process stayed for the timer, and the run completed.
    expect(statusOf(dbPath, runId)).toBe('completed');
  });

  it('with keepAlive: true, holds its process open until close()', async () => {
    const dbPath = tempDbPath();
    const proc = spawn(process.execPath, [child], { env: { ...process.env, DB_PATH: dbPath, MODE: 'keep-alive' } });
    let stdout = '';
    const done = new Promise<void>((resolve) =>
      proc.stdout.on('data', (chunk) => {
        stdout += chunk;
        if (stdout.includes('done ')) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => proc.on('exit', (code) => resolve(code)));
    const watchdog = setTimeout(() => proc.kill('SIGKILL'), 20_000);
    await done;
    // Time for a process with nothing holding it open to end by itself (the other tests' children do).
    await sleep(1500);
    expect(proc.exitCode).toBeNull();
    proc.kill('SIGUSR2');
    expect(await exited).toBe(0);
    clearTimeout(watchdog);
  });
});
