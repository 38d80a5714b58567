#!/usr/bin/env node
// Benchmark, not a test: the mock under autocannon, each server in a process of its own, against
// baselines doing the same key check and writing the same bytes: plain node:http and a bare Hono
// app (bench/mock-servers.mjs), and Prism mocking the mock's own OpenAPI document. Rounds are
// interleaved so that every ratio compares figures from the same minutes of a shared machine.
// autocannon and Prism are installed for the benchmark only, into a folder under the system temp
// directory, never by the project's `npm install`.
//
// Last line: mock-compare <server>_<get|post>_rps=N <server>_<get|post>_cpu_us=N ... (plain, hono, mock, prism)
//
// Usage: node bench/mock-autocannon.mjs [--duration S (5)] [--rounds N (3)] [--connections C (50)] [--no-prism]
//        node bench/mock-autocannon.mjs --memory 1000000   (the mock's RSS over a million requests)
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { median } from './stats.mjs';

const { values: flags } = parseArgs({
  options: {
    duration: { type: 'string', default: '5' },
    rounds: { type: 'string', default: '3' },
    connections: { type: 'string', default: '50' },
    'no-prism': { type: 'boolean', default: false },
    // Memory mode: only the mock, this many requests (GET and POST alternating in chunks), RSS as it goes.
    memory: { type: 'string' },
  },
});
const DURATION_S = Number(flags.duration);
const ROUNDS = Number(flags.rounds);
const CONNECTIONS = Number(flags.connections);
const WITH_PRISM = !flags['no-prism'] && flags.memory === undefined;
const TOOLS = join(tmpdir(), 'fornex-flow-bench-tools');
const SERVERS = fileURLToPath(new URL('./mock-servers.mjs', import.meta.url));

const KEY = 'PERSONAL_API_KEY';
const GET_PATH = `/api/account/balance?apikey=${KEY}`;
const POST_PATH = '/api/ssh_keys/34-177054/add/';
const POST_BODY = `key_pk=67&apikey=${KEY}`;
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

/** Installs autocannon (and Prism) into TOOLS once; later runs reuse them. */
function tools() {
  const wanted = ['autocannon@9.0.0', ...(WITH_PRISM ? ['@stoplight/prism-cli@5.16.0'] : [])];
  const present = (spec) =>
    existsSync(join(TOOLS, 'node_modules', spec.slice(0, spec.lastIndexOf('@')), 'package.json'));
  const missing = wanted.filter((spec) => !present(spec));
  if (missing.length > 0) {
    mkdirSync(TOOLS, { recursive: true });
    if (!existsSync(join(TOOLS, 'package.json'))) writeFileSync(join(TOOLS, 'package.json'), '{"private": true}\n');
    console.error(`installing ${missing.join(', ')} into ${TOOLS} (benchmark only)...`);
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...missing], {
      cwd: TOOLS,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return createRequire(join(TOOLS, 'package.json'))('autocannon');
}

function freePort() {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** Every server process started, stopped on exit even when the benchmark fails half-way. */
const started = [];
process.on('exit', () => {
  for (const child of started) child.kill('SIGTERM');
});

/** Starts one server process; resolves with {url, pid, stop}. */
async function startServer(kind, replies) {
  const child = spawn(process.execPath, [SERVERS, kind, ...(replies ? [JSON.stringify(replies)] : [])], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  started.push(child);
  const url = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`${kind} server exited with ${code}`)));
  });
  return { kind, url, pid: child.pid, stop: () => child.kill('SIGTERM') };
}

async function startPrism(mockUrl) {
  const spec = join(TOOLS, 'fornex-openapi.json');
  writeFileSync(spec, await (await fetch(`${mockUrl}/__mock/openapi.json`)).text());
  const port = await freePort();
  const child = spawn(
    join(TOOLS, 'node_modules', '.bin', 'prism'),
    ['mock', '-h', '127.0.0.1', '-p', String(port), spec],
    {
      stdio: 'ignore',
    },
  );
  started.push(child);
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      await fetch(`${url}${GET_PATH}`);
      return { kind: 'prism', url, pid: child.pid, stop: () => child.kill('SIGTERM') };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  child.kill('SIGKILL');
  throw new Error('prism did not start');
}

/** CPU time of a process so far, in microseconds (Linux /proc; null elsewhere). */
function cpuMicros(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10_000;
  } catch {
    return null;
  }
}

function rssMiB(pid) {
  try {
    const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
    return kb / 1024;
  } catch {
    return Number.NaN;
  }
}

async function load(autocannon, server, method, durationS) {
  const cpuBefore = cpuMicros(server.pid);
  const result = await autocannon({
    url: `${server.url}${method === 'GET' ? GET_PATH : POST_PATH}`,
    method,
    connections: CONNECTIONS,
    duration: durationS,
    ...(method === 'POST' ? { body: POST_BODY, headers: FORM } : {}),
  });
  const cpuAfter = cpuMicros(server.pid);
  const cpuPerRequest = cpuBefore === null ? Number.NaN : (cpuAfter - cpuBefore) / Math.max(1, result.requests.total);
  return {
    rps: result.requests.average,
    total: result.requests.total,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuPerRequest,
  };
}

/** Memory mode: RSS of the mock after every 100,000 requests. */
async function memory(autocannon, total) {
  const mock = await startServer('mock');
  const CHUNK = 100_000;
  const samples = [];
  for (let done = 0, i = 0; done < total; i++) {
    const post = i % 2 === 1;
    await autocannon({
      url: `${mock.url}${post ? POST_PATH : GET_PATH}`,
      method: post ? 'POST' : 'GET',
      connections: CONNECTIONS,
      amount: Math.min(CHUNK, total - done),
      ...(post ? { body: POST_BODY, headers: FORM } : {}),
    });
    done += Math.min(CHUNK, total - done);
    samples.push(`${done}:${rssMiB(mock.pid).toFixed(0)}`);
  }
  console.log(`mock RSS in MiB after N requests (N:MiB): ${samples.join(' ')}`);
  mock.stop();
}

const autocannon = tools();
if (flags.memory !== undefined) {
  await memory(autocannon, Number(flags.memory));
  process.exit(0);
}
const mock = await startServer('mock');
const replies = {
  get: await (await fetch(`${mock.url}${GET_PATH}`)).text(),
  post: await (await fetch(`${mock.url}${POST_PATH}`, { method: 'POST', headers: FORM, body: POST_BODY })).text(),
};
const servers = [
  await startServer('plain', replies),
  await startServer('hono', replies),
  mock,
  ...(WITH_PRISM ? [await startPrism(mock.url)] : []),
];
try {
  // Same bytes: the baselines answer exactly what the mock answers.
  for (const server of servers.filter((s) => s.kind !== 'prism')) {
    const get = await (await fetch(`${server.url}${GET_PATH}`)).text();
    if (get !== replies.get) throw new Error(`${server.kind} answers ${get}, the mock ${replies.get}`);
  }
  for (const server of servers) {
    await load(autocannon, server, 'GET', 1);
    await load(autocannon, server, 'POST', 1);
  }
  const rssStart = rssMiB(mock.pid);
  const figures = Object.fromEntries(servers.map((s) => [s.kind, { GET: [], POST: [] }]));
  let mockRequests = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const server of servers) {
      for (const method of ['GET', 'POST']) {
        const f = await load(autocannon, server, method, DURATION_S);
        figures[server.kind][method].push(f);
        if (server.kind === 'mock') mockRequests += f.total;
        if (f.errors > 0 || f.non2xx > 0)
          console.error(`warning: ${server.kind} ${method}: ${f.errors} errors, ${f.non2xx} non-2xx`);
      }
    }
  }
  const rssEnd = rssMiB(mock.pid);
  const med = (kind, method, field) => median(figures[kind][method].map((f) => f[field]));
  console.log(`autocannon -c ${CONNECTIONS}, ${ROUNDS} rounds of ${DURATION_S} s per server and method, medians`);
  console.log('server   GET req/s  POST req/s  GET cpu us/req  POST cpu us/req');
  for (const { kind } of servers) {
    console.log(
      `${kind.padEnd(8)} ${med(kind, 'GET', 'rps').toFixed(0).padStart(9)}  ${med(kind, 'POST', 'rps').toFixed(0).padStart(10)}  ${med(kind, 'GET', 'cpuPerRequest').toFixed(1).padStart(14)}  ${med(kind, 'POST', 'cpuPerRequest').toFixed(1).padStart(15)}`,
    );
  }
  const ratio = (a, b, method) => (med(a, method, 'rps') / med(b, method, 'rps')).toFixed(2);
  const cpuRatio = (a, b, method) => (med(b, method, 'cpuPerRequest') / med(a, method, 'cpuPerRequest')).toFixed(2);
  console.log(
    `mock/plain GET=${ratio('mock', 'plain', 'GET')} POST=${ratio('mock', 'plain', 'POST')} (by CPU per request: GET=${cpuRatio('mock', 'plain', 'GET')} POST=${cpuRatio('mock', 'plain', 'POST')})`,
  );
  console.log(`mock/hono  GET=${ratio('mock', 'hono', 'GET')} POST=${ratio('mock', 'hono', 'POST')}`);
  if (WITH_PRISM) console.log(`mock/prism GET=${ratio('mock', 'prism', 'GET')} POST=${ratio('mock', 'prism', 'POST')}`);
  console.log(
    `mock RSS ${rssStart.toFixed(0)} MiB after warm-up, ${rssEnd.toFixed(0)} MiB after ${mockRequests} more requests`,
  );
  // Machine-readable, for npm run bench: req/s and CPU us per request, per server and method.
  const fields = servers.flatMap(({ kind }) =>
    ['GET', 'POST'].flatMap((method) => [
      `${kind}_${method.toLowerCase()}_rps=${med(kind, method, 'rps').toFixed(0)}`,
      `${kind}_${method.toLowerCase()}_cpu_us=${med(kind, method, 'cpuPerRequest').toFixed(1)}`,
    ]),
  );
  console.log(`mock-compare ${fields.join(' ')}`);
} finally {
  for (const server of servers) server.stop();
}
