// Benchmark (not a test) of the engine on PostgreSQL, next to raw single-row commits and DBOS
// Transact on the same server, in the same run. Run: npm run bench:postgres (after npm run build).
// The server: FORNEX_FLOW_PG_URL, else the one .ci/postgres starts (installing Debian's package).
// DBOS is installed for the benchmark only, into a temp folder (FORNEX_BENCH_DBOS_DIR to reuse one);
// FORNEX_BENCH_NO_DBOS=1 skips it.
// Last line: postgres single=N concurrent_10=N raw_min=N raw_max=N concurrent=N workers_2=N workers_4=N raw=N dbos_single=N dbos_concurrent=N
//   single_vs_dbos=R concurrent_vs_dbos=R
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { median } from './stats.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const fmt = (n) => Math.round(n).toLocaleString('en-US').replaceAll(',', '_');
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
function worker(schema, runs, concurrency) {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [path.join(here, 'engine-worker.mjs'), url, schema, String(runs), String(concurrency)],
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
async function engineStepsPerSecond(processes, runsPerProcess, concurrencyPerProcess) {
  const schema = `bench_${processes}_${concurrencyPerProcess}_${Date.now()}`;
  const results = await Promise.all(
    Array.from({ length: processes }, () => worker(schema, runsPerProcess, concurrencyPerProcess)),
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

async function dbosStepsPerSecond(dir, runs, concurrency) {
  const database = `fornex_bench_dbos_${Date.now()}`;
  const admin = new pg.Client(url);
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  const dbosUrl = new URL(url);
  dbosUrl.pathname = `/${database}`;
  try {
    const out = execFileSync(
      process.execPath,
      ['--no-deprecation', path.join(here, 'dbos-workload.mjs'), dir, dbosUrl.href, String(runs), String(concurrency)],
      {
        encoding: 'utf8',
      },
    );
    return JSON.parse(out.trim().split('\n').at(-1)).stepsPerSecond;
  } finally {
    await admin.query(`DROP DATABASE ${database} WITH (FORCE)`);
    await admin.end();
  }
}

const rounds = Number(process.env.FORNEX_BENCH_ROUNDS ?? 3);
const raws = [];
const single = [];
const concurrent10 = [];
const concurrent = [];
// Interleaved rounds: the raw baseline is taken between the engine's figures, and the median of each is kept.
for (let round = 0; round < rounds; round++) {
  raws.push(await rawCommitsPerSecond());
  single.push(await engineStepsPerSecond(1, 40, 1));
  concurrent10.push(await engineStepsPerSecond(1, 200, 10));
  concurrent.push(await engineStepsPerSecond(1, 1000, 100));
}
const raw = median(raws);
console.log(`raw single-row commits (1 connection): ${fmt(raw)}/s (rounds: ${raws.map(fmt).join(', ')})`);
console.log(
  `engine, 1 run at a time: ${fmt(median(single))} steps/s (ratio to raw ${(median(single) / raw).toFixed(2)})`,
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
if (process.env.FORNEX_BENCH_NO_DBOS !== '1') {
  const dir = dbosDir();
  dbos = { single: await dbosStepsPerSecond(dir, 40, 1), concurrent: await dbosStepsPerSecond(dir, 1000, 100) };
  console.log(
    `DBOS Transact, same server: 1 workflow at a time ${fmt(dbos.single)} steps/s, 100 concurrent ${fmt(dbos.concurrent)} steps/s`,
  );
}
console.log(
  `postgres single=${fmt(median(single))} concurrent_10=${fmt(median(concurrent10))} raw_min=${fmt(Math.min(...raws))} raw_max=${fmt(Math.max(...raws))} concurrent=${fmt(median(concurrent))} workers_2=${fmt(workers2)} workers_4=${fmt(workers4)} raw=${fmt(raw)} dbos_single=${fmt(dbos.single)} dbos_concurrent=${fmt(dbos.concurrent)} single_vs_dbos=${(median(single) / dbos.single).toFixed(2)} concurrent_vs_dbos=${(median(concurrent) / dbos.concurrent).toFixed(2)}`,
);
