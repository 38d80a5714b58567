#!/usr/bin/env node
// npm run bench (after npm run build): runs every benchmark one after the other, each in its own
// process, reads the last line each one prints, and writes the figures into docs/benchmarks.md
// (between the `bench:begin` and `bench:end` markers) with the machine, the commands, the
// baselines of the same run and their spread, plus docs/benchmarks.svg (bench/plot.mjs).
// PostgreSQL runs when FORNEX_FLOW_PG_URL is set, or when .ci/postgres can start a server (as root).
// Usage: node bench/run-all.mjs [--skip mock,mock-compare,client,engine,postgres,cli] [--no-write]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchmarkSvg } from './plot.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const { values: flags } = parseArgs({
  options: { skip: { type: 'string', default: '' }, 'no-write': { type: 'boolean', default: false } },
});
const skip = new Set(flags.skip.split(',').filter(Boolean));
const postgresAvailable =
  process.env.FORNEX_FLOW_PG_URL !== undefined ||
  (existsSync(`${root}.ci/postgres`) && process.platform === 'linux' && process.getuid?.() === 0);

const benches = [
  { name: 'mock', args: ['bench/mock-throughput.mjs'] },
  { name: 'mock-compare', args: ['bench/mock-autocannon.mjs', '--duration', '3', '--rounds', '3'] },
  { name: 'client', args: ['bench/client-overhead.mjs'] },
  { name: 'engine', args: ['bench/engine.mjs'] },
  ...(postgresAvailable ? [{ name: 'postgres', args: ['bench/postgres.mjs'] }] : []),
  { name: 'cli', args: ['bench/cli-start.mjs'] },
].filter((b) => !skip.has(b.name));

/** `key=value` pairs of a line into numbers (the benches write 12_345 for readability). */
function parseFields(line) {
  const fields = {};
  for (const [, key, value] of line.matchAll(/(\w+)=([-\w.]+)/g)) fields[key] = Number(value.replaceAll('_', ''));
  return fields;
}

/** Runs one bench; its stdout is echoed to stderr as it comes (progress) and kept. */
function run(bench) {
  return new Promise((resolve) => {
    const started = Date.now();
    console.error(`\n== ${bench.name}: node ${bench.args.join(' ')}`);
    const child = spawn(process.execPath, bench.args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stderr.write(chunk);
    });
    child.on('exit', (code, signal) => {
      const lines = out.trim().split('\n').filter(Boolean);
      resolve({ ...bench, ok: code === 0, code: code ?? signal, lines, seconds: (Date.now() - started) / 1000 });
    });
  });
}

const machine = {
  cpus: os.availableParallelism?.() ?? os.cpus().length,
  cpuModel: os.cpus()[0]?.model ?? 'unknown',
  memoryGb: os.totalmem() / 2 ** 30,
  node: process.version,
  loadAtStart: os.loadavg(),
  startedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
};
const results = {};
for (const bench of benches) results[bench.name] = await run(bench);
machine.loadAtEnd = os.loadavg();

/** The fields of the last line starting with `prefix` (the benches' machine-readable lines). */
const fieldsOf = (name, prefix) => {
  const line = results[name]?.ok ? results[name].lines.findLast((l) => l.startsWith(`${prefix} `)) : undefined;
  return line ? parseFields(line) : undefined;
};
const engine = fieldsOf('engine', 'engine');
const sqlite = fieldsOf('engine', 'engine-sqlite');
const pg = fieldsOf('postgres', 'postgres');
const mockCompare = fieldsOf('mock-compare', 'mock-compare');
const cli = fieldsOf('cli', 'cli');
const client = fieldsOf('client', 'client');

const goals = [
  ['one run, idempotent steps (ratio to raw commits)', engine?.single_idem, '>=', 0.5],
  ['one run, non-idempotent steps', engine?.single_nonidem, '>=', 0.35],
  ['100 concurrent runs, idempotent steps', engine?.concurrent_idem, '>=', 1.2],
  ['100 concurrent runs, non-idempotent steps', engine?.concurrent_nonidem, '>=', 0.9],
  ['resumeAll() of 10,000 interrupted runs (s)', engine?.resume_10k_s, '<', 2],
  ['RSS with 10,000 runs asleep on timers (MB)', engine?.sleeping_10k_mb, '<', 200],
  [
    `\`fornex-flow --help\` (s, wall clock${cli ? `; \`node -e 0\` alone: ${(cli.bare_ms / 1000).toFixed(2)} s` : ''})`,
    cli ? cli.help_ms / 1000 : undefined,
    '<',
    0.3,
  ],
  ['typed client overhead over ofetch (ratio)', client?.overhead_ratio, '<=', 1.15],
  ['PostgreSQL, one run at a time: ratio to DBOS Transact (issue 11)', pg?.single_vs_dbos, '>=', 3],
  ['PostgreSQL, 100 concurrent runs: ratio to DBOS Transact (issue 11)', pg?.concurrent_vs_dbos, '>=', 5],
];
const verdict = (value, op, goal) => {
  if (value === undefined || Number.isNaN(value)) return 'not measured';
  const met = op === '>=' ? value >= goal : op === '<=' ? value <= goal : value < goal;
  return met
    ? 'met'
    : `missed (${op.startsWith('>') ? `${((value / goal) * 100).toFixed(0)}% of the goal` : `${(value / goal).toFixed(2)}x the goal`})`;
};

const load = (l) => l.map((v) => v.toFixed(1)).join(' ');
const page = [];
page.push(
  `Generated by \`npm run bench\` (\`node bench/run-all.mjs\`) on ${machine.startedAt}: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryGb.toFixed(0)} GB of memory, Node ${machine.node}, load average ${load(machine.loadAtStart)} at the start and ${load(machine.loadAtEnd)} at the end.`,
  '',
  '**This machine is shared and noisy** (other sessions build and test on the same cores while it runs): absolute figures move by 2-4x from one minute to the next, so compare the **ratios**, each taken against a baseline measured in the same run, interleaved with the figure it divides.',
  '',
  '### Goals (issues 13 and 11)',
  '',
  '| figure | measured | goal | |',
  '| --- | --- | --- | --- |',
  ...goals.map(
    ([label, value, op, goal]) =>
      `| ${label} | ${value === undefined || Number.isNaN(value) ? '-' : value.toPrecision(3)} | ${op} ${goal} | ${verdict(value, op, goal)} |`,
  ),
  '',
  '![Engine steps/s by concurrent runs on SQLite and PostgreSQL; the mock against plain node:http, bare Hono and Prism](benchmarks.svg)',
  '',
);
if (sqlite)
  page.push(
    `Baseline for the SQLite ratios: raw better-sqlite3 single-row commits, median ${Math.round(sqlite.raw)}/s, spread ${Math.round(sqlite.raw_min)}-${Math.round(sqlite.raw_max)}/s over the run.`,
  );
if (pg)
  page.push(
    `Baseline on PostgreSQL: raw single-row commits on one connection, median ${Math.round(pg.raw)}/s, spread ${Math.round(pg.raw_min)}-${Math.round(pg.raw_max)}/s (fsync per commit: the disk sets it).`,
  );
page.push('');
for (const bench of benches) {
  const r = results[bench.name];
  page.push(`### ${bench.name}: \`node ${bench.args.join(' ')}\``, '');
  page.push(r.ok ? `${r.seconds.toFixed(0)} s.` : `**Failed** (exit ${r.code}) after ${r.seconds.toFixed(0)} s.`, '');
  page.push('```', ...r.lines, '```', '');
}
if (!postgresAvailable)
  page.push('PostgreSQL: not run (no FORNEX_FLOW_PG_URL, and .ci/postgres cannot start a server here).', '');

const engineSeries = [];
if (sqlite) {
  engineSeries.push({ label: 'SQLite, idempotent steps', points: [1, 10, 100].map((n) => [n, sqlite[`idem_${n}`]]) });
  engineSeries.push({ label: 'SQLite, non-idempotent', points: [1, 10, 100].map((n) => [n, sqlite[`nonidem_${n}`]]) });
  engineSeries.push({
    label: 'raw SQLite commits (baseline)',
    dashed: true,
    points: [
      [1, sqlite.raw],
      [100, sqlite.raw],
    ],
  });
}
if (pg) {
  engineSeries.push({
    label: 'PostgreSQL, idempotent',
    points: [
      [1, pg.single],
      [10, pg.concurrent_10],
      [100, pg.concurrent],
    ],
  });
  engineSeries.push({
    label: 'raw PostgreSQL commits (baseline)',
    dashed: true,
    points: [
      [1, pg.raw],
      [100, pg.raw],
    ],
  });
  if (Number.isFinite(pg.dbos_single))
    engineSeries.push({
      label: 'DBOS on the same server',
      dashed: true,
      points: [
        [1, pg.dbos_single],
        [100, pg.dbos_concurrent],
      ],
    });
}
const mockGroups = mockCompare
  ? ['get', 'post'].map((method) => ({
      label: method.toUpperCase(),
      bars: ['plain', 'hono', 'mock', 'prism'].map((kind) => ({
        label: { plain: 'node:http', hono: 'bare Hono', mock: 'the mock', prism: 'Prism' }[kind],
        value: mockCompare[`${kind}_${method}_rps`],
      })),
    }))
  : undefined;
const svg = benchmarkSvg({
  engineSeries,
  mockGroups,
  caption: `npm run bench, ${machine.startedAt}, ${machine.cpus} CPUs, load ${load(machine.loadAtStart)}: a shared, noisy machine (compare ratios)`,
});

const begin = '<!-- bench:begin (generated by npm run bench: do not edit by hand) -->';
const end = '<!-- bench:end -->';
const docPath = `${root}docs/benchmarks.md`;
const doc = readFileSync(docPath, 'utf8');
const from = doc.indexOf(begin);
const to = doc.indexOf(end);
if (from < 0 || to < from) throw new Error(`docs/benchmarks.md lacks the markers ${begin} ... ${end}`);
const generated = `${doc.slice(0, from + begin.length)}\n${page.join('\n')}\n${doc.slice(to)}`;
if (flags['no-write']) console.log(page.join('\n'));
else {
  writeFileSync(docPath, generated);
  writeFileSync(`${root}docs/benchmarks.svg`, svg);
  console.log('wrote docs/benchmarks.md and docs/benchmarks.svg');
}
const failed = benches.filter((b) => !results[b.name].ok);
if (failed.length > 0) {
  console.error(`failed: ${failed.map((b) => b.name).join(', ')}`);
  process.exitCode = 1;
}
