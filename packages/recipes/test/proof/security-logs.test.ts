import { describe, expect, it, onTestFinished } from 'vitest';
import { createCliWorld, ndjson } from '../cli/helpers.js';
import { jsonPost } from '../serve/serve-helpers.js';
import { createCrashWorld } from './crash-world.js';
import { expectNoSecret, nextResetAnswers, securityRecipesPath, spellings } from './security-kit.js';

const VPS = '34-177054';
const ended = new Set(['completed', 'failed', 'cancelled']);

/** How many times `text` holds any spelling of `secret`. */
function occurrences(text: string, secret: string): number {
  return spellings(secret).reduce((count, spelling) => count + text.split(spelling).length - 1, 0);
}

describe('no secret in the logs of run, resume and worker', { timeout: 180_000 }, () => {
  it.each([
    ['plain', []],
    ['--json', ['--json']],
  ])('%s: runs that complete, fail, are left to a worker, and one killed and resumed', async (_name, format) => {
    const world = await createCrashWorld({ name: 'sqlite' });
    const recipes = { FORNEX_FLOW_RECIPES: securityRecipesPath };
    const run = (args: string[]) => world.spawn([...format, 'run', ...args], recipes);
    const login = (password: string) => JSON.stringify({ user: 'ann', password });
    const reset = JSON.stringify({ orderId: VPS, pollIntervalMs: 100, timeoutMs: 60_000 });
    const secrets = {
      completes: 'Vault-Log-1111',
      fails: 'fail-Vault-Log-2222',
      leftToWorker: 'Vault-Log-3333',
      delivered: 'Root-Pw-Delivered-4444',
      killed: 'Root-Pw-Killed-5555',
    };
    /** Outputs that must be clean, and the one that delivers its reset password once. */
    const logs: string[] = [];
    const stdouts: string[] = [];
    const collect = (result: { stdout: string; stderr: string }) => {
      logs.push(result.stdout, result.stderr);
      stdouts.push(result.stdout);
    };

    const completes = await run(['test-vault-login', '--input', login(secrets.completes)]).exited;
    expect(completes.code).toBe(0);
    collect(completes);
    const fails = await run(['test-vault-login', '--input', login(secrets.fails)]).exited;
    expect(fails.code).toBe(1);
    expect(fails.stdout + fails.stderr).toContain('vault refused');
    collect(fails);
    const left = await run(['test-vault-login', '--wait', '0', '--input', login(secrets.leftToWorker)]).exited;
    expect(left.code).toBe(3);
    collect(left);

    // A reset run to its end: the one process that ran the reset prints its password, once.
    await nextResetAnswers(world.mock.url, VPS, secrets.delivered);
    const delivered = await run(['reset-root-password', '--input', reset]).exited;
    expect(delivered.code).toBe(0);
    expect(occurrences(delivered.stdout, secrets.delivered)).toBeGreaterThan(0);
    expect(delivered.stderr).not.toContain(secrets.delivered);
    logs.push(delivered.stdout.split(secrets.delivered).join('<delivered>'), delivered.stderr);

    // A reset killed once the reset is recorded (mid-poll): its password never reaches the resumers.
    await nextResetAnswers(world.mock.url, VPS, secrets.killed);
    const killed = world.spawn(['--json', 'run', 'reset-root-password', '--input', reset], recipes);
    await killed.waitForLine((line) => line.includes('"step:succeeded"') && line.includes('"resetPassword"'));
    killed.child.kill('SIGKILL');
    const killedOut = await killed.exited;
    logs.push(killedOut.stderr);

    // A worker finishes the run left to it and the killed one; then resume --all finds nothing.
    const worker = world.spawn([...format, 'worker', '--poll-ms', '200'], recipes);
    for (;;) {
      const runs = await world.runs();
      if (runs.every((r) => ended.has(String(r.status)))) break;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    worker.child.kill('SIGTERM');
    const workerOut = await worker.exited;
    expect(workerOut.code).toBe(0);
    collect(workerOut);
    collect(await world.spawn([...format, 'resume', '--all'], recipes).exited);

    const runs = await world.runs();
    expect(runs.map((r) => `${r.recipeId} ${r.status}`).sort()).toEqual([
      'reset-root-password completed',
      'reset-root-password completed',
      'test-vault-login completed',
      'test-vault-login completed',
      'test-vault-login failed',
    ]);
    for (const r of runs) {
      collect(await world.spawn([...format, 'show', String(r.runId)]).exited);
    }
    collect(await world.spawn([...format, 'runs']).exited);
    // The logs are the runs' own: every run id shows in them.
    for (const r of runs) expect(logs.join('\n')).toContain(String(r.runId));
    expectNoSecret(logs, Object.values(secrets), `a ${format.join('') || 'plain'} log`);
    // --json: stdout is NDJSON only (the guard did not break a line).
    if (format.length > 0) for (const out of stdouts) ndjson(out);
  });

  it.each([
    ['plain', []],
    ['--json', ['--json']],
  ])("%s serve: its log holds no secret of the runs it drives, and none of a bad request's", async (_name, format) => {
    const token = 'security-log-token-1357';
    const world = await createCliWorld();
    const server = world.spawn([...format, 'serve', '--port', '0', '--recipes', securityRecipesPath], {
      FORNEX_FLOW_TOKEN: token,
    });
    onTestFinished(async () => {
      server.child.kill('SIGTERM');
      await server.exited;
    });
    const first = await server.waitForLine((line) => line.includes('http://'));
    const url = format.length > 0 ? (JSON.parse(first) as { url: string }).url : first;
    const w = {
      mock: world.mock,
      server,
      url,
      call: (path: string, init: RequestInit & { token: string }) => {
        const { token: bearer, ...rest } = init;
        const headers = new Headers(rest.headers);
        headers.set('authorization', `Bearer ${bearer}`);
        return fetch(new URL(path, url), { ...rest, headers });
      },
    };
    const secrets = [
      'Serve-Log-6666',
      'fail-Serve-Log-7777',
      'Serve-Hook-8888',
      'Serve-Bad-9999',
      'Root-Pw-Serve-0000',
    ];
    const start = (recipe: string, input: unknown) => w.call('/api/runs', { ...jsonPost({ recipe, input }), token });
    const ids: string[] = [];
    for (const password of secrets.slice(0, 2)) {
      const started = await start('test-vault-login', { user: 'ann', password });
      ids.push(((await started.json()) as { runId: string }).runId);
    }
    const hook = await w.call('/hooks/test-vault-login', { ...jsonPost({ user: 'h', password: secrets[2] }), token });
    ids.push(((await hook.json()) as { runId: string }).runId);
    expect((await start('test-vault-login', { user: 1, password: secrets[3] })).status).toBe(400);
    await nextResetAnswers(w.mock.url, VPS, secrets[4]!);
    const resetRun = await start('reset-root-password', { orderId: VPS, pollIntervalMs: 100 });
    expect(resetRun.status).toBe(201);
    ids.push(((await resetRun.json()) as { runId: string }).runId);
    for (const id of ids) {
      for (;;) {
        const detail = (await (await w.call(`/api/runs/${id}`, { token })).json()) as { run: { status: string } };
        if (ended.has(detail.run.status)) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    w.server.child.kill('SIGTERM');
    const served = await w.server.exited;
    expect(served.code).toBe(0);
    expect(served.stdout).toContain(w.url);
    expectNoSecret([served.stdout, served.stderr], secrets, `serve ${format.join('')}`);
  });
});
