import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import type { CliResult, RunningCli } from '../cli/helpers.js';

/** One CLI command of a fuzzed sequence, all against one database and one mock. */
export type FuzzCommand =
  /** `run test-orders`: detached (`--wait 0`, left to a worker) or followed in a background process. */
  | { kind: 'run'; detached: boolean; pauseMs: number }
  /** `cancel` of one of the runs started so far (picked modulo their count). */
  | { kind: 'cancel'; pick: number }
  /** `resume --all` in a background process, following its runs at most `waitMs`. */
  | { kind: 'resume'; waitMs: number }
  /** A `worker`, stopped by SIGTERM after `lifeMs` (or killed before). */
  | { kind: 'worker'; lifeMs: number }
  /**
   * SIGKILL of one of the CLI processes still alive (picked modulo their count): once it starts a
   * step, or the key-adding step (the run's one effect), or after 1.5 s; plus `delayMs`.
   */
  | { kind: 'kill'; pick: number; on: 'step' | 'addKey'; delayMs: number }
  /** Let the processes work for a while. */
  | { kind: 'pause'; ms: number };

const runArb = fc.record({
  kind: fc.constant('run' as const),
  detached: fc.boolean(),
  pauseMs: fc.constantFrom(0, 300, 1_500),
});

/** The commands, weighted so that most sequences start runs and then disturb them. */
export const fuzzCommandArb: fc.Arbitrary<FuzzCommand> = fc.oneof(
  { weight: 4, arbitrary: runArb },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat(15) }) },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('resume' as const), waitMs: fc.constantFrom(0, 1_000, 15_000) }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ kind: fc.constant('worker' as const), lifeMs: fc.integer({ min: 200, max: 2_500 }) }),
  },
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('kill' as const),
      pick: fc.nat(15),
      on: fc.constantFrom('step' as const, 'step' as const, 'addKey' as const),
      delayMs: fc.integer({ min: 0, max: 300 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('pause' as const), ms: fc.integer({ min: 0, max: 1_000 }) }) },
);

/** A sequence: a run first (so there is something to disturb), then 2 to 7 more commands. */
export const fuzzSequenceArb: fc.Arbitrary<FuzzCommand[]> = fc
  .tuple(runArb, fc.array(fuzzCommandArb, { minLength: 2, maxLength: 7 }))
  .map(([first, rest]) => [first, ...rest]);

/** One CLI process of a sequence, with what the sequence did to it. */
export interface FuzzProcess {
  args: string[];
  proc: RunningCli;
  /** Set once it exited. */
  result?: CliResult;
  /** The signal the sequence sent it, if any (its exit is then no failure). */
  sentSignal?: NodeJS.Signals;
}

/** Spawns CLI processes with the world's env (`--json` is added by the caller). */
export type SpawnCli = (args: string[]) => RunningCli;

/** Runs the commands one after another; background processes keep running across commands. */
export function createFuzzSession(spawn: SpawnCli, titlePrefix: string) {
  const processes: FuzzProcess[] = [];
  const runIds: string[] = [];
  const titles: string[] = [];
  const timers: NodeJS.Timeout[] = [];

  const start = (args: string[]): FuzzProcess => {
    const entry: FuzzProcess = { args, proc: spawn(args) };
    entry.proc.exited.then((result) => {
      entry.result = result;
    });
    processes.push(entry);
    return entry;
  };
  const alive = () => processes.filter((p) => !p.result);
  const signal = (p: FuzzProcess, sig: NodeJS.Signals) => {
    if (p.result) return;
    p.sentSignal ??= sig;
    p.proc.child.kill(sig);
  };

  async function exec(command: FuzzCommand): Promise<void> {
    switch (command.kind) {
      case 'run': {
        const title = `${titlePrefix}-${titles.length}`;
        titles.push(title);
        const wait = command.detached ? '0' : '15000';
        const p = start([
          '--json',
          'run',
          'test-orders',
          '--set',
          `title=${title}`,
          '--set',
          `pauseMs=${command.pauseMs}`,
          '--wait',
          wait,
        ]);
        const line = await p.proc.waitForLine((l) => l.includes('"event":"run:started"')).catch(() => undefined);
        if (line) runIds.push((JSON.parse(line) as { runId: string }).runId);
        return;
      }
      case 'cancel': {
        const runId = runIds[command.pick % Math.max(1, runIds.length)];
        if (!runId) return;
        await start(['--json', 'cancel', runId]).proc.exited;
        return;
      }
      case 'resume':
        start(['--json', 'resume', '--all', '--wait', String(command.waitMs)]);
        return;
      case 'worker': {
        const p = start(['--json', 'worker', '--poll-ms', '100']);
        timers.push(setTimeout(() => signal(p, 'SIGTERM'), command.lifeMs));
        return;
      }
      case 'kill': {
        const live = alive();
        const p = live[command.pick % Math.max(1, live.length)];
        if (!p) return;
        // Most moments worth a kill are mid-step: wait for one (a bound, for a process with nothing to do).
        const moment = (l: string) =>
          l.includes('"event":"step:started"') && (command.on === 'step' || l.includes('"step":"addKey"'));
        await Promise.race([p.proc.waitForLine(moment).catch(() => {}), sleep(1_500)]);
        await sleep(command.delayMs);
        signal(p, 'SIGKILL');
        await p.proc.exited;
        return;
      }
      case 'pause':
        await sleep(command.ms);
        return;
    }
  }

  /** Stops what still runs (SIGTERM: workers release their runs, `run`/`resume` leave theirs) and waits for every exit. */
  async function stop(): Promise<void> {
    for (const timer of timers) clearTimeout(timer);
    for (const p of alive()) signal(p, 'SIGTERM');
    await Promise.all(processes.map((p) => p.proc.exited));
  }

  return { exec, stop, processes, runIds, titles };
}
