// One engine process of bench/postgres.mjs: `runs` runs of a ten-step chain of no-op idempotent
// steps on PostgreSQL, `concurrency` at a time, after a short warm-up.
// Run as a child: node bench/engine-worker.mjs <database url> <schema> <runs> <concurrency>
// Prints one JSON line: { steps, startMs, endMs } (wall-clock times, comparable across processes).
import { createEngine, defineRecipe } from '@fornex-flow/core';
import { postgresStore } from '@fornex-flow/postgres';
import { setup } from 'xstate';
import { z } from 'zod';

const [url, schema, runsArg, concurrencyArg] = process.argv.slice(2);
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

const engine = createEngine({ store: postgresStore({ connectionString: url, schema }), concurrency: 128 });
engine.register(chain);
const batch = (count) =>
  Promise.all(Array.from({ length: count }, async () => (await engine.start('chain', {})).result()));
await batch(Math.min(concurrency, 5));
const startMs = Date.now();
for (let done = 0; done < runs; done += concurrency) await batch(Math.min(concurrency, runs - done));
const endMs = Date.now();
await engine.close();
console.log(JSON.stringify({ steps: runs * stepsPerRun, startMs, endMs }));
