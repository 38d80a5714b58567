import { describe, expect, it } from 'vitest';
import { type CliWorld, createCliWorld, keysTitled, mockPosts, ndjson, PERSONAL_API_KEY } from './helpers.js';

/** The API key is in no output of the test's CLI processes and nowhere in the database files. */
function expectKeyNeverShown(w: CliWorld): void {
  expect(w.outputs.length).toBeGreaterThan(0);
  for (const output of w.outputs) expect(output).not.toContain(PERSONAL_API_KEY);
  expect(w.dbText()).not.toContain(PERSONAL_API_KEY);
}

describe('fornex-flow run', { timeout: 60_000 }, () => {
  it('runs a recipe to the end, piped: plain lines per step and fan-out, the output, exit 0', async () => {
    const w = await createCliWorld();
    const { code, stdout, stderr } = await w.cli(['run', 'test-orders', '--set', 'title=plain', '--set', 'pauseMs=50']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^run \S+ test-orders started$/m);
    expect(stdout).toMatch(/^step listOrders#1 succeeded in \d+ ms$/m);
    expect(stdout).toMatch(/^test-order-status 5\/5 \(\S+ completed\)$/m);
    expect(stdout).toMatch(/^timer pause due at [\d:.]+ \((in \d+ ms|due now)\)$/m);
    expect(stdout).toMatch(/^step addKey#1 succeeded/m);
    expect(stdout).toMatch(/^run \S+ completed in /m);
    expect(stdout).toMatch(/"orderId": "34-177054",\s+"status": "off"/);
    expect(await keysTitled(w.mock, 'plain')).toBe(1);
    expect(stdout).not.toContain('\u001b[');
    expectKeyNeverShown(w);
  });

  it('--json writes only NDJSON events on stdout, ending with run:completed', async () => {
    const w = await createCliWorld();
    const { code, stdout, stderr } = await w.cli(['--json', 'run', 'test-orders', '--set', 'title=json']);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    const events = ndjson(stdout);
    for (const event of events) {
      expect(event.event).toEqual(expect.any(String));
      expect(Number.isNaN(Date.parse(String(event.at)))).toBe(false);
    }
    const names = events.map((e) => e.event);
    expect(names[0]).toBe('run:started');
    expect(names).toContain('step:succeeded');
    expect(names).toContain('run:transition');
    const rootId = events[0]?.runId;
    const last = events.filter((e) => e.runId === rootId).at(-1);
    expect(last).toMatchObject({ event: 'run:completed', runId: rootId, output: { keyId: expect.any(Number) } });
    expectKeyNeverShown(w);
  });

  it('--dry-run prints the plan and changes nothing (no POST reaches the API, no database)', async () => {
    const w = await createCliWorld();
    const { code, stdout } = await w.cli(['run', 'test-orders', '--set', 'title=dry', '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^dry run of test-orders: nothing was changed/m);
    expect(stdout).toMatch(/^check 5 orders, then add one SSH key$/m);
    expect(stdout).toMatch(/^ {2}2\. read status of 34-177054$/m);
    expect(stdout).toMatch(/^ {2}6\. add SSH key account: "dry"$/m);
    expect(await mockPosts(w.mock)).toEqual([]);
    expect(await keysTitled(w.mock, 'dry')).toBe(0);
    const json = await w.cli(['--json', 'run', 'test-orders', '--set', 'title=dry', '--dry-run']);
    expect(ndjson(json.stdout)).toEqual([expect.objectContaining({ event: 'plan', recipeId: 'test-orders' })]);
    const none = await w.cli(['run', 'test-order-status', '--set', 'orderId=34-177054', '--dry-run']);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/recipe test-order-status has no dry run/);
    expectKeyNeverShown(w);
  });

  it('a failed run exits 1 with one readable line on stderr and no stack trace', async () => {
    const w = await createCliWorld();
    const { code, stdout, stderr } = await w.cli([
      'run',
      'test-orders',
      '--set',
      'title=fails',
      '--set',
      'orders=34-177054,34-404404',
    ]);
    expect(code).toBe(1);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^fornex-flow: run \S+ failed: run \S+ failed: vps\.status: .*Order not found/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toMatch(/^test-order-status 2\/2 \(\S+ failed\)$/m);
    expect(await keysTitled(w.mock, 'fails')).toBe(0);
    expectKeyNeverShown(w);
  });

  it('leaves a run that sleeps past --wait to a worker and exits 3; the worker finishes it', async () => {
    const w = await createCliWorld();
    // The timer falls due after --wait, so `run` leaves as soon as it is set (or, on a very slow
    // machine, when --wait runs out first: either way the run is left, durable, with exit 3).
    const args = ['run', 'test-orders', '--set', 'title=later', '--set', 'pauseMs=4000', '--wait', '3000'];
    const left = await w.cli(args);
    expect(left.code).toBe(3);
    expect(left.stdout).toMatch(
      /^run (\S+) left to a worker: (it sleeps until [\d:.]+|still running after --wait 3000 ms)$/m,
    );
    expect(left.stderr).toMatch(/left waiting for a worker.*fornex-flow worker/);
    const runId = /^run (\S+) test-orders started$/m.exec(left.stdout)?.[1];
    expect(await keysTitled(w.mock, 'later')).toBe(0);

    const worker = w.spawn(['worker', '--poll-ms', '100']);
    await worker.waitForLine((line) => line === `run ${runId} completed` || line.startsWith(`run ${runId} completed `));
    worker.child.kill('SIGTERM');
    const stopped = await worker.exited;
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toMatch(/worker stopped \(SIGTERM\)/);
    expect(await keysTitled(w.mock, 'later')).toBe(1);
    const shown = await w.cli(['--json', 'show', runId!]);
    expect(JSON.parse(shown.stdout).run.status).toBe('completed');
    expectKeyNeverShown(w);
  });

  it('follows a run that waits for an event until interrupted (its engine holds the process open)', async () => {
    const w = await createCliWorld();
    const running = w.spawn(['run', 'test-approval', '--wait', 'forever']);
    await running.waitForLine((l) => / test-approval started$/.test(l));
    // Time for a process with nothing holding it open to end by itself (it did, with exit 13).
    await new Promise((resolve) => setTimeout(resolve, 1500));
    running.child.kill('SIGINT');
    const stopped = await running.exited;
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(/interrupted \(SIGINT\); it is saved/);
  });

  it('SIGINT interrupts run with exit 3 and the run saved; resume finishes it', async () => {
    const w = await createCliWorld();
    const running = w.spawn([
      'run',
      'test-orders',
      '--set',
      'title=interrupted',
      '--set',
      'pauseMs=3000',
      '--wait',
      'forever',
    ]);
    const runId = /^run (\S+) test-orders started$/.exec(
      await running.waitForLine((l) => / test-orders started$/.test(l)),
    )?.[1];
    await running.waitForLine((line) => line.startsWith('timer pause due at'));
    running.child.kill('SIGINT');
    const stopped = await running.exited;
    expect(stopped.code).toBe(3);
    expect(stopped.stderr).toMatch(
      new RegExp(`^fornex-flow: ${runId} interrupted \\(SIGINT\\); it is saved: .*fornex-flow resume ${runId}`, 'm'),
    );
    const resumed = await w.cli(['resume', runId!]);
    expect(resumed.code).toBe(0);
    expect(await keysTitled(w.mock, 'interrupted')).toBe(1);
    expectKeyNeverShown(w);
  });
});
