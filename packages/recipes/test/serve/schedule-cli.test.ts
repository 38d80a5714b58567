import { describe, expect, it } from 'vitest';
import { startServe } from './serve-helpers.js';

describe('fornex-flow schedule', () => {
  it('adds, lists and removes schedules; serve and a worker on one database fire each tick once', async () => {
    const w = await startServe();
    const secretRecipes = new URL('./fixtures/secret-recipe.mjs', import.meta.url).pathname;
    const refused = [
      await w.cli(['schedule', 'add', 'test-orders', '--cron', 'not a cron', '--set', 'title=x']),
      await w.cli([
        'schedule',
        'add',
        'test-orders',
        '--cron',
        '* * * * *',
        '--tz',
        'Mars/Olympus',
        '--set',
        'title=x',
      ]),
      await w.cli(['schedule', 'add', 'test-orders', '--cron', '* * * * *', '--set', 'title=']),
      await w.cli(['schedule', 'add', 'no-such-recipe', '--cron', '* * * * *']),
      await w.cli([
        '--recipes',
        secretRecipes,
        'schedule',
        'add',
        'test-secret-login',
        '--cron',
        '* * * * *',
        '--set',
        'user=a',
        '--set',
        'password=pw-12345',
      ]),
    ];
    const onPostgres = await w.cli(['--db', 'postgres://localhost:1/none', 'schedule', 'list']);
    expect(onPostgres.code).toBe(2);
    expect(onPostgres.stderr).toContain('SQLite databases only');
    expect(refused.map((r) => r.code)).toEqual([2, 2, 2, 2, 2]);
    expect(refused[4]!.stderr).toContain('secret input');
    expect(refused.map((r) => r.stderr).join('')).not.toMatch(/\n\s+at /);

    const added = await w.cli([
      'schedule',
      'add',
      'test-orders',
      '--cron',
      '* * * * * *',
      '--tz',
      'Europe/Berlin',
      '--set',
      'title=every second',
    ]);
    expect(added.code).toBe(0);
    const id = /^schedule (\S+):/.exec(added.stdout)?.[1];
    expect(id).toBeDefined();

    // serve is already running on this database; a worker joins it.
    const worker = w.spawn(['worker', '--poll-ms', '100']);
    let runs: { runId: string; status: string }[] = [];
    for (;;) {
      const answer = (await (await w.call('/api/runs?recipe=test-orders')).json()) as { runs: typeof runs };
      runs = answer.runs.filter((r) => r.runId.startsWith(`schedule-${id}-`));
      // Later ticks fail at addKey (the mock refuses the same key twice): ended is what counts here.
      if (runs.filter((r) => r.status === 'completed' || r.status === 'failed').length >= 3) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    const removed = await w.cli(['schedule', 'remove', id!]);
    expect(removed.code).toBe(0);

    const ticks = runs.map((r) => Number(r.runId.slice(`schedule-${id}-`.length)));
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const tick of ticks) expect(tick % 1000).toBe(0);
    // Every tick's run exists once in the database, whichever process started it.
    const all = (await (await w.call('/api/runs?limit=5000')).json()) as { runs: { runId: string }[] };
    const ids = all.runs.map((r) => r.runId).filter((r) => r.startsWith(`schedule-${id}-`));
    expect(new Set(ids).size).toBe(ids.length);

    const list = await w.cli(['--json', 'schedule', 'list']);
    expect(list.stdout.trim()).toBe('');
    expect((await w.cli(['schedule', 'remove', id!])).code).toBe(2);
  }, 60_000);

  it('lists a schedule with its next tick', async () => {
    const w = await startServe();
    await w.cli([
      'schedule',
      'add',
      'test-orders',
      '--cron',
      '0 9 * * 1-5',
      '--tz',
      'Europe/Berlin',
      '--set',
      'title=weekday',
    ]);
    const list = await w.cli(['--json', 'schedule', 'list']);
    const rows = list.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { cron: string; timeZone: string; next: string });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ cron: '0 9 * * 1-5', timeZone: 'Europe/Berlin' });
    // 09:00 in Berlin is 07:00 or 08:00 UTC depending on summer time.
    expect(new Date(rows[0]!.next).getUTCHours()).toBeOneOf([7, 8]);
  });
});
