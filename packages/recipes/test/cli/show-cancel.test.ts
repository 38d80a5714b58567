import { describe, expect, it } from 'vitest';
import { createCliWorld, keysTitled, ndjson, PERSONAL_API_KEY } from './helpers.js';

describe('fornex-flow show, runs and cancel', { timeout: 60_000 }, () => {
  it('show prints the timeline: status, steps with attempts and durations, child runs, events', async () => {
    const w = await createCliWorld();
    const run = await w.cli([
      '--json',
      'run',
      'test-orders',
      '--set',
      'title=shown',
      '--set',
      'orders=34-177054,34-1234',
    ]);
    expect(run.code).toBe(0);
    const runId = String(ndjson(run.stdout)[0]?.runId);
    const shown = await w.cli(['show', runId.slice(0, 30)]);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(new RegExp(`^run +${runId}$`, 'm'));
    expect(shown.stdout).toMatch(/^status +completed after /m);
    expect(shown.stdout).toMatch(/^input +\{"title":"shown","orders":\["34-177054","34-1234"\],"pauseMs":0\}$/m);
    expect(shown.stdout).toMatch(/^steps \(3\)$/m);
    for (const step of ['listOrders#1', 'checkOrders#1', 'addKey#1'])
      expect(shown.stdout).toMatch(new RegExp(`^ +${step} +succeeded +1 attempt +\\d+(\\.\\d)? m?s$`, 'm'));
    expect(shown.stdout).toMatch(/^child runs \(2\/2 ended\)$/m);
    expect(shown.stdout).toMatch(/^timeline \(\d+ events\)$/m);
    expect(shown.stdout).toMatch(/^ +\+\d+\.\d{3}s +step\.succeeded /m);
    const json = JSON.parse((await w.cli(['--json', 'show', runId])).stdout);
    expect(json.run).toMatchObject({ runId, status: 'completed', recipeId: 'test-orders' });
    expect(json.steps).toHaveLength(3);
    expect(json.children).toHaveLength(2);

    const list = await w.cli(['runs']);
    expect(list.stdout).toMatch(new RegExp(`^${runId} +test-orders@1 +completed .* 2 +done$`, 'm'));
    expect(list.stdout).not.toMatch(/test-order-status/);
    expect((await w.cli(['runs', '--children'])).stdout).toMatch(/test-order-status@1/);
    expect((await w.cli(['runs', '--status', 'failed'])).stdout.trim()).toBe('no failed runs');
    const missing = await w.cli(['show', 'nope-not-a-run']);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim()).toBe('fornex-flow: no run nope-not-a-run in this database');
  });

  it('cancel stops a run left waiting; it never resumes; a second cancel exits 2', async () => {
    const w = await createCliWorld();
    const left = await w.cli(['--json', 'run', 'test-orders', '--set', 'title=cancelled', '--set', 'pauseMs=600000']);
    expect(left.code).toBe(3);
    const events = ndjson(left.stdout);
    const runId = String(events[0]?.runId);
    expect(events.at(-1)).toMatchObject({ event: 'run:left', runId });
    const cancelled = await w.cli(['cancel', runId]);
    expect(cancelled.code).toBe(0);
    expect(cancelled.stdout.trim()).toBe(`cancelled ${runId}`);
    expect(JSON.parse((await w.cli(['--json', 'show', runId])).stdout).run.status).toBe('cancelled');
    const resumed = await w.cli(['resume', '--all']);
    expect(resumed.stderr).toMatch(/nothing to resume/);
    const again = await w.cli(['cancel', runId]);
    expect(again.code).toBe(2);
    expect(again.stderr.trim()).toBe(`fornex-flow: run ${runId} has already ended (cancelled); nothing to cancel`);
    expect(await keysTitled(w.mock, 'cancelled')).toBe(0);
    for (const output of w.outputs) expect(output).not.toContain(PERSONAL_API_KEY);
  });

  it('show, runs and cancel on a database that does not exist say so and create nothing', async () => {
    const w = await createCliWorld();
    for (const args of [['runs'], ['show', 'x'], ['cancel', 'x']]) {
      const { code, stderr } = await w.cli(args);
      expect(code).toBe(2);
      expect(stderr.trim()).toBe(
        `fornex-flow: no database at ${w.dbPath}: nothing has run yet (or pass --db / FORNEX_FLOW_DB)`,
      );
    }
  });
});
