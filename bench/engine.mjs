// Benchmark (not a test) of the durable engine on SQLite against raw better-sqlite3 single-row
// commits (same settings: WAL, synchronous=NORMAL), measured interleaved in the same process:
// the raw baseline is taken right before and right after each engine figure, and each ratio is the
// median over rounds of (engine steps/s) / (the mean of those two baselines). RSS and a cold resumeAll() are
// measured in fresh child processes (bench/engine-child.mjs). Run: npm run bench:engine (after
// npm run build). FORNEX_BENCH_ROUNDS (default 5); the first argument: milliseconds per figure (600).
// Each figure also gets the ratio by CPU time (process.cpuUsage, all threads: raw CPU per commit
// over engine CPU per step), steadier than wall clock when other work shares the cores.
// Last line: engine single_idem=R single_nonidem=R concurrent_idem=R concurrent_nonidem=R resume_10k_s=S sleeping_10k_mb=M
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createEngine } from '@fornex-flow/core';
import { sqliteStore } from '@fornex-flow/sqlite';
import Database from 'better-sqlite3';
import { createActor } from 'xstate';
import { chainRecipe, stepsPerRun } from './engine-recipes.mjs';
import { median } from './stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-bench-'));
const dbFile = (name) => path.join(tmp, name);
const rounds = Number(process.env.FORNEX_BENCH_ROUNDS ?? 5);
const figureMs = Number(process.argv[2] ?? 600);
const fmt = (n) => Math.round(n).toLocaleString('en-US').replaceAll(',', '_');
const spread = (values) => `${fmt(Math.min(...values))}-${fmt(Math.max(...values))}`;

const rawDb = new Database(dbFile('raw.db'));
rawDb.pragma('journal_mode = WAL');
rawDb.pragma('synchronous = NORMAL');
rawDb.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, payload TEXT NOT NULL)');
const rawInsert = rawDb.prepare('INSERT INTO t (run_id, payload) VALUES (?, ?)');
const rawCommit = rawDb.transaction((i) => rawInsert.run(`run-${i % 100}`, `{"step":${i}}`));
let rawN = 0;

// CPU time (all threads of the process) of the last raw or engine figure, per commit or step: on a
// shared machine the scheduler decides how much wall time a figure gets, not how much work it is.
let lastCpuUs = 0;
const cpuSince = (start, n) => {
  const { user, system } = process.cpuUsage(start);
  lastCpuUs = (user + system) / n;
};

/** Raw single-row commits per second over `durationMs`, one transaction each. */
function rawCommitsPerSecond(durationMs) {
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 100; i++) rawCommit.immediate(rawN++);
    n += 100;
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  cpuSince(cpu, n);
  return perSecond;
}

/** One engine per figure, kept open across rounds: each round measures it warm. */
function engineFigure(idempotent, concurrentRuns) {
  const recipe = chainRecipe(idempotent ? 'chain-idem' : 'chain', idempotent);
  const engine = createEngine({
    store: sqliteStore({ path: dbFile(`${recipe.id}-${concurrentRuns}.db`) }),
    concurrency: 128,
    recipes: [recipe],
  });
  const batch = () =>
    Promise.all(Array.from({ length: concurrentRuns }, async () => (await engine.start(recipe.id, {})).result()));
  return {
    idempotent,
    concurrentRuns,
    samples: [],
    ratios: [],
    cpuRatios: [],
    /** Batches of `concurrentRuns` runs until `durationMs` has passed; steps per second. */
    async measure(durationMs) {
      let steps = 0;
      const cpu = process.cpuUsage();
      const start = performance.now();
      while (performance.now() - start < durationMs) {
        await batch();
        steps += concurrentRuns * stepsPerRun;
      }
      const perSecond = steps / ((performance.now() - start) / 1000);
      cpuSince(cpu, steps);
      return perSecond;
    },
    close: () => engine.close(),
  };
}

// The ceiling XState itself puts on the engine: the same machine's pure transitions (and the
// snapshot's JSON, which every durable transition needs), no store, no steps.
function xstateStepsPerSecond(durationMs) {
  const { machine } = chainRecipe('xstate-only', true);
  const scope = {
    self: createActor(machine),
    defer() {},
    id: '',
    logger() {},
    sessionId: '',
    stopChild() {},
    emit() {},
  };
  scope.system = scope.self.system;
  scope.actionExecutor = () => {};
  const chain = () => {
    let snapshot = machine.getInitialSnapshot(scope, {});
    for (let i = 0; i < stepsPerRun; i++) {
      snapshot = machine.transition(snapshot, { type: `xstate.done.actor.s${i}`, output: null }, scope);
      JSON.stringify(snapshot.toJSON?.() ?? snapshot.value);
    }
  };
  for (let i = 0; i < 500; i++) chain();
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 100; i++) chain();
    n += 100;
  }
  return (n * stepsPerRun) / ((performance.now() - start) / 1000);
}

/** Runs bench/engine-child.mjs in a fresh process; its last line, parsed. */
function child(mode, file, count, nodeFlags = []) {
  try {
    const out = execFileSync(
      process.execPath,
      [...nodeFlags, path.join(here, 'engine-child.mjs'), mode, file, String(count)],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    return JSON.parse(out.trim().split('\n').at(-1));
  } catch (error) {
    // `interrupt` kills itself on purpose, after printing its line.
    if (mode === 'interrupt' && error.signal === 'SIGKILL') return JSON.parse(error.stdout.trim().split('\n').at(-1));
    throw error;
  }
}

const figures = [];
for (const idempotent of [true, false]) for (const runs of [1, 10, 100]) figures.push(engineFigure(idempotent, runs));
// Warm-up (JIT, statement caches, the WAL's first pages): one short pass over everything.
rawCommitsPerSecond(figureMs / 2);
for (const figure of figures) await figure.measure(figureMs / 2);
const raws = [];
const xstates = [];
for (let round = 0; round < rounds; round++) {
  // Alternate the order round by round so a slow drift hits every figure alike.
  const order = round % 2 === 0 ? figures : [...figures].reverse();
  // The baseline right before and right after each figure: its ratio compares the same seconds.
  let before = rawCommitsPerSecond(figureMs / 2);
  let cpuBefore = lastCpuUs;
  raws.push(before);
  for (const figure of order) {
    const stepsPerSecond = await figure.measure(figureMs);
    const cpuPerStep = lastCpuUs;
    const after = rawCommitsPerSecond(figureMs / 2);
    raws.push(after);
    figure.samples.push(stepsPerSecond);
    figure.ratios.push(stepsPerSecond / ((before + after) / 2));
    // The same ratio by CPU time: raw CPU per commit over engine CPU per step.
    figure.cpuRatios.push((cpuBefore + lastCpuUs) / 2 / cpuPerStep);
    before = after;
    cpuBefore = lastCpuUs;
  }
  xstates.push(xstateStepsPerSecond(figureMs / 2) / before);
}
for (const figure of figures) await figure.close();
rawDb.close();

const raw = median(raws);
console.log(
  `raw better-sqlite3 single-row commits: median ${fmt(raw)}/s over ${raws.length} samples (spread ${spread(raws)}), ${rounds} rounds of ${figureMs} ms per figure`,
);
console.log(`xstate pure transitions alone (no store, no steps): ratio ${median(xstates).toFixed(2)}`);
const find = (idempotent, runs) => figures.find((f) => f.idempotent === idempotent && f.concurrentRuns === runs);
for (const figure of figures) {
  console.log(
    `${figure.idempotent ? 'idempotent' : 'non-idempotent'} steps, ${String(figure.concurrentRuns).padStart(3)} concurrent runs: median ${fmt(median(figure.samples))} steps/s (spread ${spread(figure.samples)}), ratio ${median(figure.ratios).toFixed(2)} (rounds ${figure.ratios.map((r) => r.toFixed(2)).join(' ')}), by CPU time ${median(figure.cpuRatios).toFixed(2)}`,
  );
}
// Machine-readable steps/s against concurrent runs, for the plot of npm run bench.
console.log(
  `engine-sqlite steps_per_s ${figures.map((f) => `${f.idempotent ? 'idem' : 'nonidem'}_${f.concurrentRuns}=${Math.round(median(f.samples))}`).join(' ')} raw=${Math.round(raw)} raw_min=${Math.round(Math.min(...raws))} raw_max=${Math.round(Math.max(...raws))}`,
);

const sleep = child('sleepers', dbFile('sleepers.db'), 10_000, ['--expose-gc']);
console.log(
  `10,000 runs asleep on timers (fresh process): RSS ${fmt(sleep.asleepMb)} MB (${fmt(sleep.beforeMb)} MB with 10 runs), heap ${fmt(sleep.heapMb)} MB, started in ${sleep.startSeconds.toFixed(1)} s`,
);
child('interrupt', dbFile('interrupted.db'), 10_000);
const resume = child('resume', dbFile('interrupted.db'), 10_000, ['--expose-gc']);
if (resume.resumed !== 10_000) throw new Error(`resumeAll() resumed ${resume.resumed} runs, failed ${resume.failed}`);
console.log(
  `resumeAll() of 10,000 runs killed mid-step (fresh process): ${resume.seconds.toFixed(2)} s wall, ${resume.cpuSeconds.toFixed(2)} s CPU, RSS ${fmt(resume.rssMb)} MB`,
);
fs.rmSync(tmp, { recursive: true, force: true });
const ratio = (idempotent, runs) => median(find(idempotent, runs).ratios).toFixed(2);
console.log(
  `engine single_idem=${ratio(true, 1)} single_nonidem=${ratio(false, 1)} concurrent_idem=${ratio(true, 100)} concurrent_nonidem=${ratio(false, 100)} resume_10k_s=${resume.seconds.toFixed(2)} sleeping_10k_mb=${Math.round(sleep.asleepMb)}`,
);
