// One engine process of bench/postgres.mjs: `runs` runs of a ten-step chain of no-op idempotent
// steps on PostgreSQL, `concurrency` at a time, after a warm-up.
// Run as a child: node bench/engine-worker.mjs <database url> <schema> <runs> <concurrency> [sync]
// (`sync`: postgresStore({ asyncCommits: false }), every commit waits for its WAL flush).
// Prints one JSON line: { steps, startMs, endMs } (wall-clock times, comparable across processes).
// With FORNEX_BENCH_SERVE=1 it measures once per `go` on stdin instead (bench/served.mjs).
import { createEngine, defineRecipe } from '@fornex-flow/core';
import { postgresStore } from '@fornex-flow/postgres';
import { setup } from 'xstate';
import { z } from 'zod';
import { serveMeasurements } from './served.mjs';

const [url, schema, runsArg, concurrencyArg, mode] = process.argv.slice(2);
const runs = Number(runsArg);
const concurrency = Number(concurrencyArg);
const stepsPerRun = 10;

const states = {};
for (let i = 0; i < stepsPerRun; i++)
  states[`s${i}`] = { invoke: { id: `s${i}`, src: 'noop', onDone: i + 1 < stepsPerRun ? `s${i + 1}` : 'done' } };
states.done = { type: 'final' };
const chain = defineRecipe({
  id: 'chain',
  version: 1,
  description: 'ten no-op steps',
  input: z.object({}),
  machine: setup({}).createMachine({ id: 'chain', initial: 's0', states }),
  steps: { noop: { idempotent: true, run: () => null } },
});

const inner = postgresStore({ connectionString: url, schema, asyncCommits: mode !== 'sync' });
const sizes = [];
import { encodeWriteBatch } from '../packages/postgres/dist/write-batch.js';
import { writeFileSync } from 'node:fs';
let saved = 0;
const store = { ...inner, writeBatch: (w) => { sizes.push(w.length); if (w.length === 100 && saved++ === 50) writeFileSync('/tmp/batch.json', encodeWriteBatch(w)); return inner.writeBatch(w); } };
process.on("exit", () => { sizes.sort((a,b)=>a-b); console.error("batches", sizes.length, "median", sizes[sizes.length>>1], "p90", sizes[Math.floor(sizes.length*0.9)], "mean", (sizes.reduce((a,b)=>a+b,0)/sizes.length).toFixed(1)); });
const engine = createEngine({ store, concurrency: 128 });
engine.register(chain);
const batch = (count) =>
  Promise.all(Array.from({ length: count }, async () => (await engine.start('chain', {})).result()));
// Warm-up: max(concurrency, 20) runs, `concurrency` at a time (the same for the engine and DBOS).
for (let done = 0; done < Math.max(concurrency, 20); done += concurrency) await batch(concurrency);
const measure = async () => {
  const startMs = Date.now();
  for (let done = 0; done < runs; done += concurrency) await batch(Math.min(concurrency, runs - done));
  return { steps: runs * stepsPerRun, startMs, endMs: Date.now() };
};
if (process.env.FORNEX_BENCH_SERVE === '1') await serveMeasurements(measure);
else console.log(JSON.stringify(await measure()));
await engine.close();
