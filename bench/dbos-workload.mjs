// The benchmark's workload in DBOS Transact, for a side-by-side figure on the same PostgreSQL
// server: a workflow of ten trivial steps, one at a time and 100 at once. DBOS is installed for
// the benchmark only (into a temp folder, never by the project's install): see bench/postgres.mjs.
// Run as a child: node bench/dbos-workload.mjs <dbos-sdk dir> <database url> <runs> <concurrency>
// Prints one JSON line: { stepsPerSecond }; with FORNEX_BENCH_SERVE=1, one per `go` on stdin
// (bench/served.mjs).
import { pathToFileURL } from 'node:url';
import { serveMeasurements } from './served.mjs';

const [dbosDir, url, runsArg, concurrencyArg] = process.argv.slice(2);
const { DBOS } = await import(pathToFileURL(`${dbosDir}/node_modules/@dbos-inc/dbos-sdk/dist/src/index.js`).href);
const runs = Number(runsArg);
const concurrency = Number(concurrencyArg);
const stepsPerRun = 10;

DBOS.setConfig({ name: 'fornex-bench', systemDatabaseUrl: url, logLevel: 'error', systemDatabasePoolSize: 20 });
const noop = DBOS.registerStep(async () => null, { name: 'noop' });
const chain = DBOS.registerWorkflow(
  async () => {
    for (let i = 0; i < stepsPerRun; i++) await noop();
    return null;
  },
  { name: 'chain' },
);
await DBOS.launch();

const batch = async (count) => {
  const handles = [];
  for (let i = 0; i < count; i++) handles.push(DBOS.startWorkflow(chain)());
  await Promise.all((await Promise.all(handles)).map((handle) => handle.getResult()));
};
// Warm-up: max(concurrency, 20) runs, `concurrency` at a time (the same for the engine and DBOS).
for (let done = 0; done < Math.max(concurrency, 20); done += concurrency) await batch(concurrency);
const measure = async () => {
  const start = performance.now();
  for (let done = 0; done < runs; done += concurrency) await batch(Math.min(concurrency, runs - done));
  return { stepsPerSecond: (runs * stepsPerRun) / ((performance.now() - start) / 1000) };
};
if (process.env.FORNEX_BENCH_SERVE === '1') await serveMeasurements(measure);
else console.log(JSON.stringify(await measure()));
await DBOS.shutdown();
process.exit(0);
