#!/usr/bin/env node
// Benchmark, not a test: requests per second through the mock server against a raw node:http
// server answering a fixed body, both measured in this one process, interleaved, so the ratio
// holds on a shared, noisy machine. Last line: `mock get_rps=N post_rps=N raw_rps=N ratio=R`.
import { Agent, createServer, request } from 'node:http';
import { PERSONAL_API_KEY, startMockServer } from '@fornex-flow/mock-server';
import { median } from './stats.mjs';

const CONCURRENCY = 16;
// Usage: node bench/mock-throughput.mjs [requests per round, 4000]
const REQUESTS = Number(process.argv[2] ?? 4000);
const ROUNDS = 3;

function once(agent, port, method, path, body) {
  return new Promise((resolve, reject) => {
    const headers = body
      ? { 'content-type': 'application/x-www-form-urlencoded', 'content-length': Buffer.byteLength(body) }
      : {};
    const req = request({ host: '127.0.0.1', port, method, path, agent, headers }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function rps(port, method, path, body) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let left = REQUESTS;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (left-- > 0) await once(agent, port, method, path, body);
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return REQUESTS / seconds;
}

const raw = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"balance": 91.0, "currency": "EUR"}');
  });
});
await new Promise((resolve) => raw.listen(0, '127.0.0.1', resolve));
const rawPort = raw.address().port;
const mock = await startMockServer({ port: 0, journalSize: 1000 });

const key = encodeURIComponent(PERSONAL_API_KEY);
const getPath = `/api/account/balance?apikey=${key}`;
const postPath = '/api/ssh_keys/34-177054/add/';
const postBody = `key_pk=67&apikey=${key}`;

// Warm-up: JIT, sockets.
await rps(rawPort, 'GET', getPath);
await rps(mock.port, 'GET', getPath);

const results = { raw: [], get: [], post: [] };
for (let round = 0; round < ROUNDS; round++) {
  results.raw.push(await rps(rawPort, 'GET', getPath));
  results.get.push(await rps(mock.port, 'GET', getPath));
  results.post.push(await rps(mock.port, 'POST', postPath, postBody));
}
await mock.close();
raw.close();

const rawRps = median(results.raw);
const getRps = median(results.get);
const postRps = median(results.post);
console.log(`rounds=${ROUNDS} requests_per_round=${REQUESTS} concurrency=${CONCURRENCY}`);
console.log(`raw node:http GET   ${results.raw.map((v) => v.toFixed(0)).join(' ')} req/s`);
console.log(`mock GET balance    ${results.get.map((v) => v.toFixed(0)).join(' ')} req/s`);
console.log(`mock POST key->order ${results.post.map((v) => v.toFixed(0)).join(' ')} req/s`);
console.log(
  `mock get_rps=${getRps.toFixed(0)} post_rps=${postRps.toFixed(0)} raw_rps=${rawRps.toFixed(0)} ratio=${(getRps / rawRps).toFixed(2)}`,
);
