// A/B of two builds of the SQLite store in one process, for work on the engine's speed: the engine
// on store A (another checkout's build, e.g. main's) and on store B (this checkout's), rounds
// alternated, each figure between two raw-commit figures as in bench/engine.mjs; prints the
// ratio to raw commits by wall clock and by CPU time (process.cpuUsage, all threads) for both.
// Usage: node bench/engine-ab.mjs /path/to/other/packages/sqlite/dist/index.js [idem|nonidem] [runs=1] [rounds=10] [ms=400]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '@fornex-flow/core';
import Database from 'better-sqlite3';
import { chainRecipe } from './engine-recipes.mjs';

const [storeA, kind = 'idem', runsArg = '1', roundsArg = '10', msArg = '400'] = process.argv.slice(2);
const runs = Number(runsArg);
const ms = Number(msArg);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-ab-'));
const raw = new Database(path.join(tmp, 'raw.db'));
raw.pragma('journal_mode = WAL');
raw.pragma('synchronous = NORMAL');
raw.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, payload TEXT NOT NULL)');
const rawIns = raw.prepare('INSERT INTO t (run_id, payload) VALUES (?, ?)');
let rn = 0;
const rawTx = raw.transaction((i) => rawIns.run(`run-${i % 100}`, `{"step":${i}}`));
const rawMeasure = (d) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < d) {
    for (let i = 0; i < 100; i++) rawTx.immediate(rn++);
    n += 100;
  }
  const c = process.cpuUsage(c0);
  return [(n / (performance.now() - t0)) * 1000, (c.user + c.system) / n];
};
if (!storeA)
  throw new Error('the first argument: the store module to compare with (a path to packages/sqlite/dist/index.js)');
const mods = [storeA, '@fornex-flow/sqlite'];
const engines = [];
for (const [i, m] of mods.entries()) {
  const { sqliteStore } = await import(m);
  engines.push(
    createEngine({
      store: sqliteStore({ path: path.join(tmp, `${i}.db`) }),
      concurrency: 128,
      recipes: [chainRecipe('chain', kind === 'idem')],
    }),
  );
}
const batch = (engine) =>
  Promise.all(Array.from({ length: runs }, async () => (await engine.start('chain', {})).result()));
const measure = async (engine, d) => {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let steps = 0;
  while (performance.now() - t0 < d) {
    await batch(engine);
    steps += runs * 10;
  }
  const c = process.cpuUsage(c0);
  return [(steps / (performance.now() - t0)) * 1000, (c.user + c.system) / steps];
};
for (const e of engines) await measure(e, 500);
rawMeasure(300);
const wall = [[], []],
  cpu = [[], []],
  cpuUs = [[], []],
  rawCpu = [];
for (let r = 0; r < Number(roundsArg); r++) {
  for (const i of r % 2 ? [1, 0] : [0, 1]) {
    const before = rawMeasure(ms / 2);
    const [sps, cps] = await measure(engines[i], ms);
    const after = rawMeasure(ms / 2);
    wall[i].push(sps / ((before[0] + after[0]) / 2));
    const rc = (before[1] + after[1]) / 2;
    rawCpu.push(rc);
    cpu[i].push(rc / cps);
    cpuUs[i].push(cps);
  }
}
const med = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const f = (x) => x.toFixed(2);
console.log(
  `${kind} ${runs} (load ${os
    .loadavg()
    .map((x) => x.toFixed(1))
    .join(' ')}): raw ${med(rawCpu).toFixed(1)} us cpu/commit; ` +
    ['A', 'B']
      .map(
        (n, i) =>
          `${n} wall ratio ${f(med(wall[i]))} cpu ratio ${f(med(cpu[i]))} (${med(cpuUs[i]).toFixed(1)} us cpu/step)`,
      )
      .join('; '),
);
for (const e of engines) await e.close();
fs.rmSync(tmp, { recursive: true, force: true });
