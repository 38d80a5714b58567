import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Dialect } from '@fornex-flow/core';
import { type RunningMockServer, startMockServer } from '@fornex-flow/mock-server';
import { onTestFinished } from 'vitest';

const child = fileURLToPath(new URL('./fixtures/recipe-child.mjs', import.meta.url));

/** Runs the child to its end (or its crash): exit signal and the JSON lines it printed. The mock
 * lives in this process, so the child is awaited, never waited for synchronously. */
export function runChild(mock: RunningMockServer, dbPath: string, dialect: Dialect, env: Record<string, string>) {
  const proc = spawn(process.execPath, [child], {
    env: { ...process.env, MOCK_URL: mock.url, DB_PATH: dbPath, DIALECT: dialect, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  proc.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise<{
    signal: NodeJS.Signals | null;
    code: number | null;
    stderr: string;
    lines: { status: string }[];
  }>((resolve) =>
    proc.on('close', (code, signal) => {
      const lines = stdout
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { status: string });
      resolve({ signal, code, stderr, lines });
    }),
  );
}

/** A mock of this dialect and a database path in a fresh temp dir, both gone when the test ends. */
export async function setup(dialect: Dialect) {
  const mock = await startMockServer({ port: 0, dialect });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rotate-crash-'));
  onTestFinished(async () => {
    await mock.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  return { mock, dbPath: path.join(dir, 'runs.db') };
}
