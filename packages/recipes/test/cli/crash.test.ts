import { describe, expect, it } from 'vitest';
import { type CliWorld, createCliWorld, keysTitled, mockPosts, PERSONAL_API_KEY } from './helpers.js';

/** Starts a run with --json and SIGKILLs the process as soon as its durable timer is set. */
async function killWhileSleeping(w: CliWorld, title: string): Promise<string> {
  const running = w.spawn(['--json', 'run', 'test-orders', '--set', `title=${title}`, '--set', 'pauseMs=300']);
  const started = JSON.parse(await running.waitForLine((line) => line.includes('"event":"run:started"')));
  await running.waitForLine((line) => line.includes('"event":"timer:set"') && line.includes(started.runId));
  running.child.kill('SIGKILL');
  const killed = await running.exited;
  expect(killed.signal).toBe('SIGKILL');
  const run = JSON.parse((await w.cli(['--json', 'show', started.runId])).stdout).run;
  // Killed mid-run: still active in the database, its lease held by a process that no longer exists.
  expect(run.status).toMatch(/running|waiting/);
  expect(run.leaseOwner).toMatch(/^fornex-flow:/);
  return started.runId as string;
}

function expectKeyNeverShown(w: CliWorld): void {
  for (const output of w.outputs) expect(output).not.toContain(PERSONAL_API_KEY);
  expect(w.dbText()).not.toContain(PERSONAL_API_KEY);
}

describe('fornex-flow after a SIGKILL', { timeout: 60_000 }, () => {
  it('resume --all takes over the dead process runs at once and finishes them, each effect once', async () => {
    const w = await createCliWorld();
    const runId = await killWhileSleeping(w, 'crash-resume');
    const resumed = await w.cli(['resume', '--all']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`^run ${runId} completed in `, 'm'));
    expect(await keysTitled(w.mock, 'crash-resume')).toBe(1);
    const again = await w.cli(['resume', '--all']);
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/nothing to resume/);
    expectKeyNeverShown(w);
  });

  it('a worker takes the dead process runs over, fires the timer, and stops cleanly on SIGTERM', async () => {
    const w = await createCliWorld();
    const runId = await killWhileSleeping(w, 'crash-worker');
    const worker = w.spawn(['worker', '--poll-ms', '100']);
    await worker.waitForLine((line) => line.startsWith(`run ${runId} completed`));
    worker.child.kill('SIGTERM');
    const stopped = await worker.exited;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(new RegExp(`^taking over ${runId}: its owner process died$`, 'm'));
    expect(stopped.stdout).toMatch(/^worker stopped \(SIGTERM\); released \d+ runs?$/m);
    expect(await keysTitled(w.mock, 'crash-worker')).toBe(1);
    expectKeyNeverShown(w);
  });

  it('killed right after the POST, before recording it: resume reconciles instead of posting twice', async () => {
    const w = await createCliWorld();
    // Effects in order: listOrders, the child's status read, checkOrders, addKey (the 4th).
    const crashed = await w.cli(['run', 'test-orders', '--set', 'title=crash-effect', '--set', 'orders=34-177054'], {
      FORNEX_FLOW_CRASH_AT: 'after-effect-before-record',
      FORNEX_FLOW_CRASH_AFTER: '3',
    });
    expect(crashed.signal).toBe('SIGKILL');
    expect(await keysTitled(w.mock, 'crash-effect')).toBe(1);
    const resumed = await w.cli(['resume', '--all']);
    expect(resumed.code).toBe(0);
    expect(await keysTitled(w.mock, 'crash-effect')).toBe(1);
    expect((await mockPosts(w.mock)).filter((p) => p === '/api/ssh_keys/add/')).toHaveLength(1);
    expectKeyNeverShown(w);
  });
});
