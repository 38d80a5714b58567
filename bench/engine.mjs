// Benchmark (not a test) of the durable engine against raw better-sqlite3 commits, same process,
// same settings (WAL, synchronous=NORMAL). Run: npm run bench:engine (after building core).
// Last line: engine durable_steps_per_s=N raw_commits_per_s=N ratio=R
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine, defineRecipe } from '@fornex-flow/core';
import { sqliteStore } from '@fornex-flow/sqlite';
import Database from 'better-sqlite3';
import { createActor, setup } from 'xstate';
import { z } from 'zod';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-bench-'));
const dbFile = (name) => path.join(tmp, name);
const stepsPerRun = 10;
const fmt = (n) => Math.round(n).toLocaleString('en-US').replaceAll(',', '_');

function rawCommitsPerSecond(durationMs = 1500) {
  const db = new Database(dbFile('raw.db'));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, payload TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (run_id, payload) VALUES (?, ?)');
  const commit = db.transaction((i) => insert.run(`run-${i % 100}`, `{"step":${i}}`));
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < 100; i++) commit.immediate(n++);
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  db.close();
  return perSecond;
}

// Ten steps in a row, each an invoked step that does nothing.
function chainRecipe(id, idempotent) {
  const states = {};
  for (let i = 0; i < stepsPerRun; i++) {
    states[`s${i}`] = { invoke: { id: `s${i}`, src: 'noop', onDone: i + 1 < stepsPerRun ? `s${i + 1}` : 'done' } };
  }
  states.done = { type: 'final' };
  return defineRecipe({
    id,
    version: 1,
    description: 'ten no-op steps',
    input: z.object({}),
    machine: setup({}).createMachine({ id, initial: 's0', states }),
    steps: { noop: { idempotent, run: () => null } },
  });
}

const sleeper = defineRecipe({
  id: 'sleeper',
  version: 1,
  description: 'sleeps on one durable timer',
  input: z.object({ delayMs: z.number() }),
  machine: setup({})
    .createMachine({
      id: 'sleeper',
      context: ({ input }) => ({ delayMs: input.delayMs }),
      initial: 'sleeping',
      states: { sleeping: { after: { wake: 'done' } }, done: { type: 'final' } },
    })
    .provide({ delays: { wake: ({ context }) => context.delayMs } }),
  steps: {},
});

async function stepsPerSecond(recipe, concurrentRuns, rounds) {
  const engine = createEngine({
    store: sqliteStore({ path: dbFile(`${recipe.id}-${concurrentRuns}.db`) }),
    concurrency: 128,
  });
  engine.register(recipe);
  // Warm-up (JIT, statement caches), a tenth of the measured work: a short measurement mostly timed the JIT.
  for (let round = 0; round < Math.max(1, rounds / 10); round++) {
    await Promise.all(Array.from({ length: concurrentRuns }, async () => (await engine.start(recipe.id, {})).result()));
  }
  const start = performance.now();
  for (let round = 0; round < rounds; round++) {
    await Promise.all(Array.from({ length: concurrentRuns }, async () => (await engine.start(recipe.id, {})).result()));
  }
  const seconds = (performance.now() - start) / 1000;
  await engine.close();
  return (concurrentRuns * rounds * stepsPerRun) / seconds;
}

async function sleepers(count, delayMs) {
  const engine = createEngine({ store: sqliteStore({ path: dbFile('sleepers.db') }) });
  engine.register(sleeper);
  const deadlines = new Map();
  const lateness = [];
  engine.on('timer:set', (e) => deadlines.set(e.runId, e.deadlineMs));
  engine.on('run:completed', (e) => lateness.push(Date.now() - deadlines.get(e.runId)));
  globalThis.gc?.();
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  for (let i = 0; i < count; i++) await engine.start('sleeper', { delayMs });
  const startSeconds = (performance.now() - started) / 1000;
  globalThis.gc?.();
  const rssAsleep = process.memoryUsage().rss;
  while (lateness.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  await engine.close();
  lateness.sort((a, b) => a - b);
  const pct = (p) => lateness[Math.min(lateness.length - 1, Math.floor((p / 100) * lateness.length))];
  return { rssBefore, rssAsleep, startSeconds, p50: pct(50), p99: pct(99), max: lateness.at(-1) };
}

// The ceiling XState itself puts on the engine: the same machine's pure transitions (and the
// snapshot's JSON, which every durable transition needs), no store, no steps.
function xstateStepsPerSecond(rounds = 3000) {
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
  const start = performance.now();
  for (let i = 0; i < rounds; i++) chain();
  return (rounds * stepsPerRun) / ((performance.now() - start) / 1000);
}

const raw = rawCommitsPerSecond();
console.log(`raw better-sqlite3 single-row commits: ${fmt(raw)}/s`);
const xstateOnly = xstateStepsPerSecond();
console.log(
  `xstate pure transitions alone (no store, no steps): ${fmt(xstateOnly)} steps/s (ratio ${(xstateOnly / raw).toFixed(2)})`,
);
const results = {};
for (const [label, idempotent] of [
  ['idempotent steps (1 commit per step)', true],
  ['non-idempotent steps (2 commits per step)', false],
]) {
  const recipe = chainRecipe(idempotent ? 'chain-idem' : 'chain', idempotent);
  // About 1-3 s each: long enough that a shared machine's hiccups and the JIT average out.
  const one = await stepsPerSecond(recipe, 1, 1000);
  const hundred = await stepsPerSecond(recipe, 100, 40);
  results[idempotent ? 'idem' : 'plain'] = { one, hundred };
  console.log(
    `${label}: 1 run ${fmt(one)} steps/s (ratio ${(one / raw).toFixed(2)}), 100 concurrent runs ${fmt(hundred)} steps/s (ratio ${(hundred / raw).toFixed(2)})`,
  );
}
const sleep = await sleepers(10_000, 4000);
console.log(
  `10,000 runs asleep on timers: RSS ${fmt(sleep.rssAsleep / 2 ** 20)} MB (before ${fmt(sleep.rssBefore / 2 ** 20)} MB), started in ${sleep.startSeconds.toFixed(1)} s; wake lateness p50=${sleep.p50} ms p99=${sleep.p99} ms max=${sleep.max} ms`,
);
fs.rmSync(tmp, { recursive: true, force: true });
const durable = results.idem.hundred;
console.log(
  `engine durable_steps_per_s=${Math.round(durable)} raw_commits_per_s=${Math.round(raw)} ratio=${(durable / raw).toFixed(2)}`,
);
