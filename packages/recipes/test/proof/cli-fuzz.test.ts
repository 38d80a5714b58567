import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ndjson } from '../cli/helpers.js';
import { createFuzzSession, type FuzzCommand, type FuzzProcess, fuzzSequenceArb } from './cli-fuzz-commands.js';
import { createFuzzWorld, type FuzzWorld } from './cli-fuzz-world.js';

const fuzzSeed = 13_2026;
/** Sequences per run of the suite: each spawns several real CLI processes, so few and long. */
const numRuns = 10;
/** `resume --all` rounds that drain a sequence's leftovers before the checks. */
const maxDrainRounds = 5;

const finalStatuses = ['completed', 'failed', 'cancelled'];
const terminalEvents = { 'run:completed': 'completed', 'run:failed': 'failed', 'run:cancelled': 'cancelled' } as const;
const stackTrace = /^\s+at .+(:\d+:\d+\)?|\(native\))$|node:internal|Uncaught|UnhandledPromiseRejection/m;

/** A process's exit is sound: no stack trace, a documented exit code (or the signal the sequence sent), NDJSON only on stdout. */
function expectSoundExit(p: FuzzProcess): void {
  const result = p.result;
  if (!result) throw new Error(`${p.args.join(' ')} never exited`);
  const what = `${p.args.join(' ')} (${result.code ?? result.signal}):\n${result.stdout}\n${result.stderr}`;
  expect(result.stderr, what).not.toMatch(stackTrace);
  expect(result.stdout, what).not.toMatch(stackTrace);
  if (p.sentSignal === 'SIGKILL') return;
  if (p.sentSignal === 'SIGTERM') {
    // Stopped before its handlers were set up, the process dies of the signal; after, it exits cleanly.
    if (result.signal !== null) expect(result.signal, what).toBe('SIGTERM');
    else expect([0, 1, 3], what).toContain(result.code);
  } else {
    const cancel = p.args.includes('cancel');
    // cancel: 0 cancelled, 2 the run had already ended; run/resume: 0 done, 1 failed or cancelled, 3 left or taken.
    expect(cancel ? [0, 2] : [0, 1, 3], what).toContain(result.code);
  }
  expect(() => ndjson(result.stdout), what).not.toThrow();
}

/** Resumes whatever the sequence left until nothing is running or waiting. */
async function drain(world: FuzzWorld): Promise<void> {
  for (let round = 0; round < maxDrainRounds; round++) {
    const active = (await world.runs()).filter(({ run }) => !finalStatuses.includes(run.status));
    if (active.length === 0) return;
    const resumed = world.spawn(['--json', 'resume', '--all', '--wait', '30000']);
    const result = await resumed.exited;
    expectSoundExit({ args: ['resume', '--all'], proc: resumed, result });
  }
}

/** What the sequences did, so a run of the suite shows it disturbed something (printed at the end). */
const tally = { sequences: 0, kills: 0, cancelled: 0, completed: 0, failed: 0, resumedByDrain: 0, reportedEndings: 0 };

/** The invariants after a drained sequence. */
async function expectInvariants(world: FuzzWorld, session: ReturnType<typeof createFuzzSession>): Promise<void> {
  for (const p of session.processes) expectSoundExit(p);
  const runs = await world.runs();

  // Every run (children included) ends in one final status, none stuck running or waiting.
  for (const { run, history } of runs) {
    expect(finalStatuses, `${run.runId} is ${run.status}`).toContain(run.status);
    const cancels = history.filter((h) => h.type === 'run.cancelled').length;
    expect(cancels, `${run.runId}: cancellations in its history`).toBe(run.status === 'cancelled' ? 1 : 0);
  }
  // What the processes said about how a run ended never contradicts the database.
  const reported = new Map<string, Set<string>>();
  for (const p of session.processes) {
    if (!p.result) continue;
    for (const line of p.result.stdout.split('\n')) {
      const event = /^\{"event":"(run:completed|run:failed|run:cancelled)".*"runId":"([^"]+)"/.exec(line);
      if (!event?.[1] || !event[2]) continue;
      const statuses = reported.get(event[2]) ?? new Set();
      statuses.add(terminalEvents[event[1] as keyof typeof terminalEvents]);
      reported.set(event[2], statuses);
    }
  }
  const byId = new Map(runs.map(({ run }) => [run.runId, run]));
  for (const [runId, statuses] of reported)
    expect([...statuses], `${runId}: reported endings`).toEqual([byId.get(runId)?.status]);
  tally.reportedEndings += reported.size;

  // One run per `run` command at most; one child per order of a run at most.
  const roots = runs.filter(({ run }) => !run.parentRunId).map(({ run }) => run);
  const titleOf = (run: { input: unknown }) => (run.input as { title: string }).title;
  for (const title of session.titles)
    expect(roots.filter((r) => titleOf(r) === title).length, `runs titled ${title}`).toBeLessThanOrEqual(1);
  expect(roots.every((r) => session.titles.includes(titleOf(r)))).toBe(true);
  // A run whose start was printed is in the database.
  for (const runId of session.runIds) expect(byId.has(runId), `${runId} is stored`).toBe(true);
  for (const root of roots) {
    const children = runs.filter(({ run }) => run.parentRunId === root.runId);
    const orders = children.map(({ run }) => (run.input as { orderId: string }).orderId);
    expect(new Set(orders).size, `${root.runId}: children ${orders.join(',')}`).toBe(orders.length);
  }

  // Each effect at most once: one key add per title in the journal and in the mock's keys; a completed run's key is there.
  const journal = await world.journal();
  expect(journal.count, 'the journal kept every request').toBeLessThan(journal.capacity);
  const adds = journal.requests.filter((r) => r.method === 'POST' && r.path === '/api/ssh_keys/add/');
  const keys = await world.sshKeys();
  for (const title of session.titles) {
    const root = roots.find((r) => titleOf(r) === title);
    const posted = adds.filter((r) => new URLSearchParams(r.body ?? '').get('title') === title).length;
    const held = keys.filter((k) => k.title === title);
    expect(posted, `POSTs adding ${title}`).toBeLessThanOrEqual(root ? 1 : 0);
    expect(held.length, `keys titled ${title}`).toBeLessThanOrEqual(posted);
    if (root?.status === 'completed') {
      expect(held, `the key of completed ${root.runId}`).toHaveLength(1);
      expect((root.output as { keyId: number }).keyId).toBe(held[0]?.id);
    }
  }
}

async function runSequence(commands: FuzzCommand[], index: number): Promise<void> {
  const world = await createFuzzWorld();
  const session = createFuzzSession(world.spawn, `fuzz${index}`);
  try {
    for (const command of commands) await session.exec(command);
    await session.stop();
    const left = (await world.runs()).filter(({ run }) => !run.parentRunId && !finalStatuses.includes(run.status));
    await drain(world);
    await expectInvariants(world, session);
    tally.sequences++;
    tally.resumedByDrain += left.length;
    tally.kills += session.processes.filter((p) => p.result?.signal === 'SIGKILL').length;
    for (const { run } of await world.runs())
      if (!run.parentRunId) tally[run.status as 'completed' | 'failed' | 'cancelled']++;
  } finally {
    await session.stop();
    await world.close();
  }
}

describe('fornex-flow command sequences on one database (fast-check)', () => {
  it('run, cancel, resume --all, worker and SIGKILL in any order: each run ends once, each effect at most once', async () => {
    let index = 0;
    await fc.assert(
      fc.asyncProperty(fuzzSequenceArb, (commands) => runSequence(commands, index++)),
      // Each sequence costs seconds of real processes: no shrinking, the failing sequence is printed as generated.
      { seed: fuzzSeed, numRuns, endOnFailure: true },
    );
    console.info(`cli fuzz: ${JSON.stringify(tally)}`);
    // The sequences must have disturbed runs for the invariants to mean anything.
    expect(tally.kills).toBeGreaterThan(0);
    expect(tally.cancelled).toBeGreaterThan(0);
    expect(tally.resumedByDrain).toBeGreaterThan(0);
    expect(tally.reportedEndings).toBeGreaterThan(0);
  }, 240_000);
});
