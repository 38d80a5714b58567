import { describe, expect, it } from 'vitest';
import { createCliWorld, ndjson, PERSONAL_API_KEY } from './helpers.js';

describe('fornex-flow secrets at rest', { timeout: 60_000 }, () => {
  it('a secret step output survives a SIGKILL sealed with the key file beside the database, never in clear', async () => {
    const w = await createCliWorld();
    // The pause leaves time to kill the process while it waits (a loaded machine answers slowly).
    const running = w.spawn(['--json', 'run', 'test-secret', '--set', 'pauseMs=2000']);
    // The run's events show the secret output redacted; only the delivered result holds it.
    const minted = JSON.parse(await running.waitForLine((l) => l.includes('"event":"step:succeeded"')));
    expect(minted.output).toBe('[REDACTED]');
    await running.waitForLine((l) => l.includes('"event":"timer:set"'));
    running.child.kill('SIGKILL');
    expect((await running.exited).signal).toBe('SIGKILL');

    // Another key cannot open it: the run is refused and left as it was.
    const wrongKey = await w.cli(['resume', '--all'], {
      FORNEX_FLOW_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stderr).toMatch(/cannot resume \S+: .*secret/i);

    // The key file the first process created opens it: the resumed run has the token back.
    const resumed = await w.cli(['--json', 'resume', '--all']);
    expect(resumed.code).toBe(0);
    const completed = ndjson(resumed.stdout).find((e) => e.event === 'run:completed');
    const token = (completed?.output as { token: string } | undefined)?.token ?? '';
    expect(token).toMatch(/^tok-/);
    expect(completed?.output).toEqual({ token, report: `used a token of ${token.length} characters` });
    // Written before and after the kill: the database never held it in clear.
    expect(w.dbText()).not.toContain(token);
    for (const output of w.outputs) expect(output).not.toContain(PERSONAL_API_KEY);
  });
});
