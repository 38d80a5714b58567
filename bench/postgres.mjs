// Benchmark (not a test) of the engine on PostgreSQL, next to raw single-row commits and DBOS
// Transact on the same server, in the same run. Run: npm run bench:postgres (after npm run build).
// The server: FORNEX_FLOW_PG_URL, else the one .ci/postgres starts (installing Debian's package).
// DBOS is installed for the benchmark only, into a temp folder (FORNEX_BENCH_DBOS_DIR to reuse one);
// FORNEX_BENCH_NO_DBOS=1 skips it.
// Last line: postgres single=N single_sync=N concurrent_10=N raw_min=N raw_max=N concurrent=N workers_2=N workers_4=N raw=N
//   dbos_single=N dbos_concurrent=N single_vs_dbos=R concurrent_vs_dbos=R load_start=L load_end=L
// The comparisons with DBOS are measured in pairs: long-lived children (the engine with the
// default asyncCommits, for one run at a time also the engine with asyncCommits: false, and DBOS)
// take turns, one measurement each per pair, in alternating order, and single_vs_dbos and
// concurrent_vs_dbos are the medians of the per-pair ratios (one run at a time: 7 pairs of 60 runs;
// 100 concurrent runs: 4 pairs of 500 runs; FORNEX_BENCH_PAIRS sets the first; each child first
// warms up with max(concurrency, 20) runs): on a shared
// machine the disk's and CPUs' speed changes from one second to the next, and a ratio of two
// figures taken a minute apart says more about that than about either system.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median } from './stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fmt = (n) => Math.round(n).toLocaleString('en-US').replaceAll(',', '_');
const load = () => os.loadavg()[0].toFixed(1);
const url =
  process.env.FORNEX_FLOW_PG_URL ?? execFileSync(path.join(here, '../.ci/postgres'), { encoding: 'utf8' }).trim();

async function rawCommitsPerSecond(durationMs = 2000) {
  const client = new pg.Client(url);
  await client.connect();
  await client.query('DROP TABLE IF EXISTS fornex_bench_raw');
  await client.query(
    'CREATE TABLE fornex_bench_raw (id bigserial PRIMARY KEY, run_id text NOT NULL, payload text NOT NULL)',
  );
  let n = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    await client.query('INSERT INTO fornex_bench_raw (run_id, payload) VALUES ($1, $2)', [
      `run-${n % 100}`,
      `{"step":${n}}`,
    ]);
    n++;
  }
  const perSecond = n / ((performance.now() - start) / 1000);
  await client.query('DROP TABLE fornex_bench_raw');
  await client.end();
  return perSecond;
}

// One engine process: `runs` runs of ten no-op steps, `concurrency` at a time (bench/engine-worker.mjs).
function worker(schema, runs, concurrency, mode = 'async') {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(here, 'engine-worker.mjs'), url, schema, String(runs), String(concurrency), mode],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
    });
    child.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out.trim().split('\n').at(-1))) : reject(new Error(`worker exited ${code}`)),
    );
  });
}

// `processes` workers on one schema, started together; steps/s over the span from the first start to the last end.
async function engineStepsPerSecond(processes, runsPerProcess, concurrencyPerProcess, mode) {
  const schema = `bench_${processes}_${concurrencyPerProcess}_${Date.now()}`;
  const results = await Promise.all(
    Array.from({ length: processes }, () => worker(schema, runsPerProcess, concurrencyPerProcess, mode)),
  );
  const start = Math.min(...results.map((r) => r.startMs));
  const end = Math.max(...results.map((r) => r.endMs));
  const steps = results.reduce((sum, r) => sum + r.steps, 0);
  const client = new pg.Client(url);
  await client.connect();
  await client.query(`DROP SCHEMA "${schema}" CASCADE`);
  await client.end();
  return steps / ((end - start) / 1000);
}

// A child that measures on each `go` (bench/served.mjs): `measure()` resolves with its next JSON line.
function servedChild(args) {
  const child = spawn(process.execPath, args, {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, FORNEX_BENCH_SERVE: '1' },
  });
  const waiting = [];
  let exited;
  child.on('exit', (code) => {
    exited = new Error(`${path.basename(args.at(-5) ?? args[0])} exited ${code}`);
    for (const w of waiting.splice(0)) w.reject(exited);
  });
  readline.createInterface({ input: child.stdout }).on('line', (line) => {
    if (line === 'ready' || line.startsWith('{')) waiting.shift()?.resolve(line === 'ready' ? line : JSON.parse(line));
  });
  const next = () => new Promise((resolve, reject) => (exited ? reject(exited) : waiting.push({ resolve, reject })));
  const ready = next();
  return {
    ready,
    measure() {
      const answer = next();
      child.stdin.write('go\n');
      return answer;
    },
    close: () =>
      new Promise((resolve) => {
        if (exited) return resolve();
        child.once('exit', resolve);
        child.stdin.end();
      }),
  };
}

// `runs` runs, `concurrency` at a time, `pairs` times each: the engine (default, and with
// asyncCommits: false when `withSync`) and DBOS in turns, in alternating order.
async function pairedRuns(label, pairs, runs, concurrency, dir, withSync) {
  const stamp = Date.now();
  const schemas = [`bench_paired_${stamp}`, `bench_paired_sync_${stamp}`];
  const engineWorker = (schema, mode) =>
    servedChild([path.join(here, 'engine-worker.mjs'), url, schema, String(runs), String(concurrency), mode]);
  const engine = engineWorker(schemas[0], 'async');
  const engineSync = withSync ? engineWorker(schemas[1], 'sync') : undefined;
  const database = `fornex_bench_dbos_${stamp}`;
  const admin = new pg.Client(url);
  await admin.connect();
  let dbos;
  if (dir) {
    await admin.query(`CREATE DATABASE ${database}`);
    const dbosUrl = new URL(url);
    dbosUrl.pathname = `/${database}`;
    const workload = path.join(here, 'dbos-workload.mjs');
    dbos = servedChild(['--no-deprecation', workload, dir, dbosUrl.href, String(runs), String(concurrency)]);
  }
  const stepsPerSecond = (r) => r.stepsPerSecond ?? r.steps / ((r.endMs - r.startMs) / 1000);
  const figures = { engine: [], engineSync: [], dbos: [], ratios: [] };
  try {
    await Promise.all([engine.ready, engineSync?.ready, dbos?.ready]);
    for (let pair = 0; pair < pairs; pair++) {
      const turn = [
        ['engine', engine],
        ...(engineSync ? [['engineSync', engineSync]] : []),
        ...(dbos ? [['dbos', dbos]] : []),
      ];
      if (pair % 2 === 1) turn.reverse();
      for (const [name, child] of turn) figures[name].push(stepsPerSecond(await child.measure()));
      if (dbos) figures.ratios.push(figures.engine.at(-1) / figures.dbos.at(-1));
      const sync = engineSync ? `, with asyncCommits: false ${fmt(figures.engineSync.at(-1))}` : '';
      const other = dbos ? `, DBOS ${fmt(figures.dbos.at(-1))} (ratio ${figures.ratios.at(-1).toFixed(2)})` : '';
      console.log(`${label}, pair ${pair + 1}: ${fmt(figures.engine.at(-1))} steps/s${sync}${other} (load ${load()})`);
    }
  } finally {
    await Promise.all([engine.close(), engineSync?.close(), dbos?.close()]);
    for (const schema of schemas) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    if (dir) await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    await admin.end();
  }
  return figures;
}

function dbosDir() {
  const dir = process.env.FORNEX_BENCH_DBOS_DIR ?? path.join(os.tmpdir(), 'fornex-bench-dbos');
  if (!fs.existsSync(path.join(dir, 'node_modules/@dbos-inc/dbos-sdk'))) {
    console.log(`installing DBOS Transact into ${dir} (for the benchmark only)`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '@dbos-inc/dbos-sdk@5'], { cwd: dir, stdio: 'inherit' });
  }
  return dir;
}

const withDbos = process.env.FORNEX_BENCH_NO_DBOS !== '1';
const dir = withDbos ? dbosDir() : undefined;
const loadStart = load();
const rounds = Number(process.env.FORNEX_BENCH_ROUNDS ?? 3);
const raws = [];
const concurrent10 = [];
const concurrent = [];
// Interleaved rounds: the raw baseline is taken between the engine's figures, and the median of each is kept.
for (let round = 0; round < rounds; round++) {
  raws.push(await rawCommitsPerSecond());
  concurrent10.push(await engineStepsPerSecond(1, 200, 10));
  concurrent.push(await engineStepsPerSecond(1, 1000, 100));
  console.log(
    `round ${round + 1}: raw ${fmt(raws.at(-1))} commits/s, 10 concurrent runs ${fmt(concurrent10.at(-1))}, 100 concurrent ${fmt(concurrent.at(-1))} steps/s (load ${load()})`,
  );
}
const pairs = Number(process.env.FORNEX_BENCH_PAIRS ?? 7);
const paired = await pairedRuns('one run at a time', pairs, 60, 1, dir, true);
const pairedConcurrent = await pairedRuns('100 concurrent runs', Math.ceil(pairs / 2), 500, 100, dir, false);
const single = median(paired.engine);
const singleSync = median(paired.engineSync);
const raw = median(raws);
console.log(`raw single-row commits (1 connection): ${fmt(raw)}/s (rounds: ${raws.map(fmt).join(', ')})`);
console.log(
  `engine, 1 run at a time: ${fmt(single)} steps/s (ratio to raw ${(single / raw).toFixed(2)}); with asyncCommits: false ${fmt(singleSync)} steps/s (ratio to raw ${(singleSync / raw).toFixed(2)})`,
);
console.log(
  `engine, 10 concurrent runs: ${fmt(median(concurrent10))} steps/s (ratio to raw ${(median(concurrent10) / raw).toFixed(2)})`,
);
console.log(
  `engine, 100 concurrent runs: ${fmt(median(concurrent))} steps/s (ratio to raw ${(median(concurrent) / raw).toFixed(2)})`,
);
const workers2 = await engineStepsPerSecond(2, 500, 50);
const workers4 = await engineStepsPerSecond(4, 250, 25);
console.log(
  `engine, 100 concurrent runs over 2 worker processes: ${fmt(workers2)} steps/s; over 4: ${fmt(workers4)} steps/s`,
);
let dbos = { single: Number.NaN, concurrent: Number.NaN };
if (dir) {
  dbos = { single: median(paired.dbos), concurrent: median(pairedConcurrent.dbos) };
  console.log(
    `DBOS Transact, same server: 1 workflow at a time ${fmt(dbos.single)} steps/s, 100 concurrent ${fmt(dbos.concurrent)} steps/s`,
  );
  console.log(`one run at a time, engine / DBOS per pair: ${paired.ratios.map((r) => r.toFixed(2)).join(', ')}`);
  console.log(
    `100 concurrent runs, engine / DBOS per pair: ${pairedConcurrent.ratios.map((r) => r.toFixed(2)).join(', ')}`,
  );
}
const ratioOf = (figures) => (figures.ratios.length > 0 ? median(figures.ratios) : Number.NaN);
const singleVsDbos = ratioOf(paired);
console.log(
  `postgres single=${fmt(single)} single_sync=${fmt(singleSync)} concurrent_10=${fmt(median(concurrent10))} raw_min=${fmt(Math.min(...raws))} raw_max=${fmt(Math.max(...raws))} concurrent=${fmt(median(concurrent))} workers_2=${fmt(workers2)} workers_4=${fmt(workers4)} raw=${fmt(raw)} dbos_single=${fmt(dbos.single)} dbos_concurrent=${fmt(dbos.concurrent)} single_vs_dbos=${singleVsDbos.toFixed(2)} concurrent_vs_dbos=${ratioOf(pairedConcurrent).toFixed(2)} load_start=${loadStart} load_end=${load()}`,
);
