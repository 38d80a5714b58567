// Which SQLite pages the engine writes per step, for the notes of docs/benchmarks.md: runs chain
// runs (ten no-op steps) on a file store while a second connection pins the WAL (a read
// transaction opened on an empty WAL, so no checkpoint can restart it), then reads the WAL's frame
// headers: each frame is one page written by one commit. Prints frames per step and commit, and
// which table or index each frame's page belongs to (sqlite's dbstat).
// Usage: node bench/engine-wal-pages.mjs [idem|nonidem] [concurrent runs=1] [batches=20]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createEngine } from '@fornex-flow/core';
import { sqliteStore } from '@fornex-flow/sqlite';
import Database from 'better-sqlite3';
import { chainRecipe, stepsPerRun } from './engine-recipes.mjs';

const [kind = 'idem', runsArg = '1', batchesArg = '20'] = process.argv.slice(2);
const runs = Number(runsArg);
const batches = Number(batchesArg);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fornex-wal-'));
const file = path.join(tmp, 'w.db');
const recipe = chainRecipe('chain', kind === 'idem');
const engine = createEngine({
  store: sqliteStore({ path: file, checkpoint: 'inline' }),
  concurrency: 128,
  recipes: [recipe],
});
const batch = () => Promise.all(Array.from({ length: runs }, async () => (await engine.start('chain', {})).result()));
// Warm-up: the tables hold some runs already, as in the benchmark.
for (let i = 0; i < Math.max(5, 200 / runs); i++) await batch();

const reader = new Database(file);
reader.pragma('wal_checkpoint(TRUNCATE)');
const pin = reader.prepare('SELECT count(*) FROM runs').pluck();
reader.exec('BEGIN');
pin.get();
for (let i = 0; i < batches; i++) await batch();
await engine.close();
reader.exec('COMMIT');

const wal = fs.readFileSync(`${file}-wal`);
const pageSize = wal.readUInt32BE(8);
const owner = new Map(
  reader
    .prepare('SELECT pageno, name, pagetype FROM dbstat')
    .all()
    .map((r) => [r.pageno, `${r.name} (${r.pagetype})`]),
);
const byOwner = new Map();
let frames = 0;
let commits = 0;
let commitFrames = 0;
const perCommit = new Map();
for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
  const pageNo = wal.readUInt32BE(at);
  if (pageNo === 0) break;
  frames++;
  commitFrames++;
  const name = pageNo === 1 ? 'page 1 (header)' : (owner.get(pageNo) ?? `page ${pageNo} (freed or new)`);
  byOwner.set(name, (byOwner.get(name) ?? 0) + 1);
  if (wal.readUInt32BE(at + 4) !== 0) {
    commits++;
    perCommit.set(commitFrames, (perCommit.get(commitFrames) ?? 0) + 1);
    commitFrames = 0;
  }
}
reader.close();
fs.rmSync(tmp, { recursive: true, force: true });
const steps = runs * batches * stepsPerRun;
console.log(`${kind} steps, ${runs} concurrent run(s), ${batches} batches: ${steps} steps, ${commits} commits`);
console.log(
  `WAL frames: ${frames} (${(frames / steps).toFixed(2)} per step, ${(frames / commits).toFixed(2)} per commit)`,
);
console.log(
  `frames per commit: ${[...perCommit]
    .sort((a, b) => a[0] - b[0])
    .map(([n, c]) => `${n}:${c}`)
    .join(' ')}`,
);
console.log('frames per step by owner:');
for (const [name, n] of [...byOwner].sort((a, b) => b[1] - a[1]))
  console.log(`  ${(n / steps).toFixed(3).padStart(7)}  ${name}`);
