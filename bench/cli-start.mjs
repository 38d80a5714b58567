#!/usr/bin/env node
// Start time of `fornex-flow --help` and `fornex-flow recipes`, against a bare `node -e 0` measured
// in the same run (these machines are shared and noisy: compare the ratios). Also lists which of
// the heavy modules each command loaded (the engine, SQLite, Hono, XState, zod).
// Usage: npm run build && node bench/cli-start.mjs [runs=21]
// Last line: cli bare_ms=N help_ms=N recipes_ms=N help_ratio=R recipes_ratio=R
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from './stats.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const bin = join(root, 'packages/recipes/dist/cli/bin.js');
const tracer = join(root, 'packages/recipes/test/cli/fixtures/trace-imports.mjs');
const runs = Number(process.argv[2] ?? 21);

function time(args) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const result = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    if (result.status !== 0) throw new Error(`${args.join(' ')} exited ${result.status}: ${result.stderr}`);
  }
  return median(samples);
}

const heavy = {
  engine: /@fornex-flow\/core|packages\/core\//,
  sqlite: /better-sqlite3|@fornex-flow\/sqlite|packages\/sqlite\//,
  hono: /\/hono\/|@hono/,
  xstate: /\/xstate\//,
  zod: /\/zod\//,
};

function loaded(args) {
  const dir = mkdtempSync(join(tmpdir(), 'cli-start-'));
  const file = join(dir, 'imports.txt');
  spawnSync(process.execPath, ['--import', tracer, ...args], { env: { ...process.env, FORNEX_TRACE_IMPORTS: file } });
  const urls = readFileSync(file, 'utf8').split('\n').filter(Boolean);
  rmSync(dir, { recursive: true, force: true });
  const names = Object.entries(heavy)
    .filter(([, pattern]) => urls.some((url) => pattern.test(url)))
    .map(([name]) => name);
  return `${new Set(urls).size} modules; heavy: ${names.join(', ') || 'none'}`;
}

const bare = time(['-e', '0']);
const help = time([bin, '--help']);
const recipes = time([bin, 'recipes']);
console.log(`node -e 0:              median ${bare.toFixed(1)} ms over ${runs} runs`);
console.log(
  `fornex-flow --help:     median ${help.toFixed(1)} ms (ratio ${(help / bare).toFixed(2)}), ${loaded([bin, '--help'])}`,
);
console.log(
  `fornex-flow recipes:    median ${recipes.toFixed(1)} ms (ratio ${(recipes / bare).toFixed(2)}), ${loaded([bin, 'recipes'])}`,
);
console.log(
  `cli bare_ms=${bare.toFixed(1)} help_ms=${help.toFixed(1)} recipes_ms=${recipes.toFixed(1)} help_ratio=${(help / bare).toFixed(2)} recipes_ratio=${(recipes / bare).toFixed(2)}`,
);
