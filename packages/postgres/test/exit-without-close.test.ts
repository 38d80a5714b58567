import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { dropSchema, freshSchema, pgUrl } from './pg-url.js';

// A script that forgot `engine.close()` on PostgreSQL ends once its run is done: the pool the
// store opened does not hold the process open with idle connections (node-postgres would keep
// them for its 10 s idle timeout), nor does the engine's housekeeping. The child is SIGKILLed
// 8 s after it printed its result, which fails the test.

const url = pgUrl();
const schema = freshSchema('unclosed');
const fixture = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures', 'unclosed-child.mjs');

describe.skipIf(!url)('an engine on PostgreSQL that is never closed', () => {
  afterAll(() => dropSchema(url as string, schema));

  it('lets its process exit once its run is done', async () => {
    const exit = await new Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>(
      (resolve) => {
        const child = spawn(process.execPath, [fixture], {
          env: { ...process.env, PG_URL: url as string, PG_SCHEMA: schema },
        });
        let stdout = '';
        let stderr = '';
        let killer: NodeJS.Timeout | undefined;
        child.stdout.on('data', (chunk) => {
          stdout += chunk;
          if (stdout.includes('\n') && !killer) killer = setTimeout(() => child.kill('SIGKILL'), 8000);
        });
        child.stderr.on('data', (chunk) => (stderr += chunk));
        const watchdog = setTimeout(() => child.kill('SIGKILL'), 25_000);
        child.on('exit', (code, signal) => {
          clearTimeout(killer);
          clearTimeout(watchdog);
          resolve({ code, signal, stdout, stderr });
        });
      },
    );
    expect(exit).toEqual({ code: 0, signal: null, stdout: 'done "worked"\n', stderr: '' });
  });
});
