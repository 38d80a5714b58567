import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** How a child process ended, and what it wrote. */
export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** The path of a fixture script in `test/engine/fixtures`. */
export function fixturePath(name: string): string {
  return path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', name);
}

/** Runs a fixture script in a new Node process; `killAfterMs` SIGKILLs it from here after that long (a random crash point). */
export function runChildProcess(script: string, env: Record<string, string>, killAfterMs?: number): Promise<ChildExit> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [script], { env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
