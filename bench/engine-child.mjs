// A fresh process for the engine benchmark's figures that a long-lived bench process would skew
// (RSS, a cold resume). Run by bench/engine.mjs:
//   node bench/engine-child.mjs sleepers <db file> <count>   RSS before and with <count> runs asleep
//   node bench/engine-child.mjs interrupt <db file> <count>  starts <count> runs in flight, then SIGKILLs itself
//   node bench/engine-child.mjs resume <db file> <count>     times resumeAll() of those runs
// Prints one JSON line (interrupt prints it just before it dies).
import { performance } from 'node:perf_hooks';
import { createEngine } from '@fornex-flow/core';
import { sqliteStore } from '@fornex-flow/sqlite';
import { hangRecipe, sleeperRecipe } from './engine-recipes.mjs';

const [mode, file, countArg] = process.argv.slice(2);
const count = Number(countArg);
// The interrupted process and the resuming one share an owner id, as a restarted service would:
// the leases are its own, so resumeAll() need not wait for them to expire.
const ownerId = 'bench-restarted-service';
const rssMb = () => {
  globalThis.gc?.();
  return process.memoryUsage().rss / 2 ** 20;
};

if (mode === 'sleepers') {
  const engine = createEngine({ store: sqliteStore({ path: file }), recipes: [sleeperRecipe] });
  // A few runs first, so the baseline includes the code paths and statement caches a run needs.
  for (let i = 0; i < 10; i++) await engine.start('sleeper', { delayMs: 600_000 });
  const before = rssMb();
  const started = performance.now();
  for (let i = 10; i < count; i++) await engine.start('sleeper', { delayMs: 600_000 });
  const startSeconds = (performance.now() - started) / 1000;
  const asleep = rssMb();
  const heapMb = process.memoryUsage().heapUsed / 2 ** 20;
  console.log(JSON.stringify({ beforeMb: before, asleepMb: asleep, heapMb, startSeconds }));
  process.exit(0);
} else if (mode === 'interrupt') {
  const engine = createEngine({ store: sqliteStore({ path: file }), recipes: [hangRecipe], ownerId });
  await Promise.all(Array.from({ length: count }, () => engine.start('hang', {})));
  console.log(JSON.stringify({ started: count }));
  process.kill(process.pid, 'SIGKILL');
} else if (mode === 'resume') {
  const engine = createEngine({
    store: sqliteStore({ path: file }),
    recipes: [hangRecipe],
    ownerId,
    takeoverIntervalMs: 0,
  });
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const { resumed, failed } = await engine.resumeAll();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  console.log(JSON.stringify({ resumed: resumed.length, failed: failed.length, seconds, cpuSeconds, rssMb: rssMb() }));
  process.exit(0);
} else {
  throw new Error(`unknown mode ${mode}`);
}
