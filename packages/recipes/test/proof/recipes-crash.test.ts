import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CrashCase, crashCases, type TenantState } from './crash-cases.js';
import { type CrashWorld, crashMockLatencyMs, crashStores, createCrashWorld } from './crash-world.js';

const crashSeed = 20_261_130;
/** SIGKILLs per recipe and store that the suite must land (the issue asks 20 across runs: 10 here, on each store). */
const killsPerRecipe = 10;
const maxProcesses = 16;

async function tenant(world: CrashWorld): Promise<TenantState> {
  const state = (await (await fetch(`${world.mock.url}/__mock/state`)).json()) as { tenants: TenantState[] };
  const personal = state.tenants.find((t) => t.id === 'personal');
  if (!personal) throw new Error('no personal tenant');
  return personal;
}

async function requests(world: CrashWorld): Promise<{ method: string; path: string }[]> {
  const journal = (await (await fetch(`${world.mock.url}/__mock/requests?limit=1000`)).json()) as {
    requests: { method: string; path: string }[];
  };
  return journal.requests;
}

/** The seeded kill moments of one recipe: after the n-th step a process starts, plus a delay (often mid-request). */
function killMoments(index: number) {
  return fc.sample(
    fc.record({
      afterSteps: fc.integer({ min: 1, max: 2 }),
      delayMs: fc.integer({ min: 0, max: 2 * crashMockLatencyMs }),
    }),
    { seed: crashSeed + index, numRuns: maxProcesses },
  );
}

/** Runs the case, SIGKILLing each process at a seeded moment; resumed in turn by `resume --all` and a `worker`. */
async function crashRepeatedly(world: CrashWorld, c: CrashCase, index: number): Promise<number> {
  let kills = 0;
  for (const [attempt, moment] of killMoments(index).entries()) {
    if (kills >= killsPerRecipe) break;
    const args =
      attempt === 0
        ? ['--json', 'run', c.id, '--input', JSON.stringify(c.input)]
        : attempt % 2 === 1
          ? ['--json', 'resume', '--all']
          : ['--json', 'worker', '--poll-ms', '100'];
    const proc = world.spawn(args);
    const gone = () => undefined;
    if (attempt === 0 && c.armAfter) await proc.waitForLine(c.armAfter).catch(gone);
    let steps = 0;
    const stepStarted = (line: string) => line.includes('"event":"step:started"') && ++steps >= moment.afterSteps;
    // A worker with nothing left to do prints nothing: its moment comes after at most 3 s.
    await Promise.race([proc.waitForLine(stepStarted).catch(gone), sleep(3_000)]);
    await sleep(moment.delayMs);
    proc.child.kill('SIGKILL');
    const end = await proc.exited;
    if (end.signal === 'SIGKILL') kills++;
    // The run ended before this moment (a `run` or `resume` that exited by itself): nothing left to kill.
    else if (end.code === 0 || end.code === 1) break;
  }
  return kills;
}

describe.each(crashStores())('recipes SIGKILLed at seeded moments, on $name', (store) => {
  it.each(crashCases.map((c, index) => [c.id, c, index] as const))(
    '%s: resumed by resume --all and a worker, it ends as one clean run, one run, each effect once',
    async (_id, c, index) => {
      const clean = await createCrashWorld(store);
      const cleanRun = await clean.cli(['run', c.id, '--input', JSON.stringify(c.input)]);
      expect(cleanRun.stderr).toBe('');
      expect(cleanRun.code).toBe(0);

      const world = await createCrashWorld(store);
      const kills = await crashRepeatedly(world, c, index);
      expect(kills).toBeGreaterThanOrEqual(killsPerRecipe);
      const last = await world.cli(['resume', '--all']);
      expect([0, 1]).toContain(last.code);
      const again = await world.cli(['resume', '--all']);
      expect(again.stderr).toMatch(/nothing to resume/);

      const runs = await world.runs();
      expect(runs).toHaveLength(1);
      expect(runs[0]?.status).toBe('completed');
      expect(c.state(await tenant(world))).toEqual(c.state(await tenant(clean)));
      const posts = (await requests(world)).filter((r) => r.method === 'POST').map((r) => r.path);
      const cleanPosts = (await requests(clean)).filter((r) => r.method === 'POST').map((r) => r.path);
      // Effects that cannot be repeated safely happened as often as in the clean run.
      const once = (paths: string[]) => paths.filter((p) => /ssh_keys\/add|ssh_keys\/delete|passwd_reset/.test(p));
      expect(once(posts).sort()).toEqual(once(cleanPosts).sort());
      const resets = (await requests(world)).filter((r) => r.path.includes('passwd_reset'));
      expect(resets.length).toBeLessThanOrEqual(1);
    },
    150_000,
  );
});
