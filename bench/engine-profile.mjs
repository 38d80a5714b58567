// Where the engine's time goes on one shape of work, for the notes of docs/benchmarks.md.
// Runs `seconds` of chain runs (ten no-op steps) under the V8 CPU profiler, then prints self time
// grouped by where the code lives (SQLite, XState, the engine, zod, Node, GC), and the top functions.
// Usage: node bench/engine-profile.mjs [idem|nonidem] [concurrent runs=1] [seconds=4]
import fs from 'node:fs';
import inspector from 'node:inspector/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { createEngine } from '@fornex-flow/core';
import { sqliteStore } from '@fornex-flow/sqlite';
import { chainRecipe } from './engine-recipes.mjs';

const [kind = 'idem', runsArg = '1', secondsArg = '4'] = process.argv.slice(2);
const runs = Number(runsArg);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-profile-'));
const recipe = chainRecipe('chain', kind === 'idem');
const engine = createEngine({
  store: sqliteStore({ path: path.join(tmp, 'p.db') }),
  concurrency: 128,
  recipes: [recipe],
});
const batch = () => Promise.all(Array.from({ length: runs }, async () => (await engine.start('chain', {})).result()));
for (let i = 0; i < 200 / runs + 5; i++) await batch();

const session = new inspector.Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const start = performance.now();
while (performance.now() - start < Number(secondsArg) * 1000) await batch();
const { profile } = await session.post('Profiler.stop');
await engine.close();
fs.rmSync(tmp, { recursive: true, force: true });

const groups = [
  ['SQLite (better-sqlite3 and the store)', /better-sqlite3|packages\/sqlite\//],
  ['XState', /\/xstate\//],
  ['zod', /\/zod\//],
  ['engine (packages/core)', /packages\/core\//],
  ['bench script', /\/bench\//],
  ['Node internals', /^node:|^internal\//],
];
const selfUs = new Map();
const byFunction = new Map();
const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
const dt = new Map();
for (const [i, id] of profile.samples.entries()) dt.set(id, (dt.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
for (const [id, us] of dt) {
  const { callFrame } = nodes.get(id);
  const url = callFrame.url;
  const name = callFrame.functionName || '(anonymous)';
  const group =
    name === '(garbage collector)'
      ? 'GC'
      : name === '(idle)' || name === '(program)'
        ? name
        : url === ''
          ? 'native (no script: mostly the SQLite C code)'
          : (groups.find(([, re]) => re.test(url))?.[0] ?? 'other libraries');
  selfUs.set(group, (selfUs.get(group) ?? 0) + us);
  const key = `${name} ${url.replace(/^.*node_modules\//, '').replace(/^.*packages\//, '')}:${callFrame.lineNumber + 1}`;
  if (name !== '(idle)') byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const total = [...selfUs].filter(([g]) => g !== '(idle)').reduce((sum, [, us]) => sum + us, 0);
console.log(`${kind} steps, ${runs} concurrent run(s), ${secondsArg} s profiled: self time by place (idle excluded)`);
for (const [group, us] of [...selfUs].sort((a, b) => b[1] - a[1]))
  if (group !== '(idle)') console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${group}`);
console.log('top functions by self time:');
for (const [key, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 15))
  console.log(`  ${((100 * us) / total).toFixed(1).padStart(5)}%  ${key}`);
