#!/usr/bin/env node
// Benchmark, not a test: what the typed client costs per call over a plain ofetch call of the
// same request (same URL, query, form body, same global fetch and keep-alive pool), against the
// in-process mock. One process, rounds interleaved (plain GET, client GET, plain POST, client
// POST, in ABBA order), medians, so the ratio holds on a shared, noisy machine. Two GETs: the
// parameterless account.balance (the client's fast path: nothing to validate or encode) in the
// headline, and vps.status with a path parameter (validated and encoded) on a line of its own.
// Last line: `client overhead_ratio=R vs_no_timeout=R2`: client time / plain time, GET and POST
// together, the median of the per-round ratios (goal <= 1.15). R compares with plain ofetch calls of
// the same request, time limit included (the client always has one: `timeoutMs`, 30 s by default);
// R2 with plain calls that have no time limit, whose abort signal alone costs undici ~10 us a call.
import { createFornexClient } from '@fornex-flow/core';
import { PERSONAL_API_KEY, startMockServer } from '@fornex-flow/mock-server';
import { ofetch } from 'ofetch';
import { median } from './stats.mjs';

// Usage: node bench/client-overhead.mjs [calls per round, 300] [rounds, 15]
const CALLS = Number(process.argv[2] ?? 300);
const ROUNDS = Number(process.argv[3] ?? 15);

const mock = await startMockServer({ port: 0, journalSize: 100 });
const client = createFornexClient({ apiKey: PERSONAL_API_KEY, baseURL: mock.url });
const key = encodeURIComponent(PERSONAL_API_KEY);

// The same requests both ways: a GET with the key in the query, a form POST with it in the body.
// sshKeys.addToOrder of a key already on the order answers {"ok": true} every time: no state drifts.
const plain = {
  get: () => ofetch(`${mock.url}/api/account/balance?apikey=${key}`),
  // For reference only: the GET with ofetch's own timeout, which costs an abort signal per call
  // just like the client's (the client always has a time limit).
  getWithTimeout: () => ofetch(`${mock.url}/api/account/balance?apikey=${key}`, { timeout: 30_000 }),
  status: () => ofetch(`${mock.url}/api/vps/status/34-177054/?apikey=${key}`),
  statusWithTimeout: () => ofetch(`${mock.url}/api/vps/status/34-177054/?apikey=${key}`, { timeout: 30_000 }),
  post: () =>
    ofetch(`${mock.url}/api/ssh_keys/34-177054/add/`, {
      method: 'POST',
      body: `key_pk=67&apikey=${key}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  postWithTimeout: () =>
    ofetch(`${mock.url}/api/ssh_keys/34-177054/add/`, {
      method: 'POST',
      body: `key_pk=67&apikey=${key}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      timeout: 30_000,
    }),
};
const typed = {
  get: () => client.account.balance(),
  status: () => client.vps.status('34-177054'),
  post: () => client.sshKeys.addToOrder('34-177054', 67),
};

// Both ways must answer the same thing, or the comparison means nothing.
for (const call of ['get', 'status']) {
  const [a, b] = [await plain[call](), await typed[call]()];
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`answers differ: ${JSON.stringify([a, b])}`);
}
if ((await typed.post()).ok !== true || (await plain.post()).ok !== true) throw new Error('POST did not answer ok');

async function round(call) {
  const started = performance.now();
  for (let i = 0; i < CALLS; i++) await call();
  return performance.now() - started;
}

// Warm-up: JIT, sockets, zod's compiled checks (round times keep falling for a few rounds).
for (let r = 0; r < 3; r++) {
  for (const call of [
    plain.get,
    plain.getWithTimeout,
    typed.get,
    plain.status,
    plain.statusWithTimeout,
    typed.status,
    plain.post,
    plain.postWithTimeout,
    typed.post,
  ]) {
    await round(call);
  }
}

const times = {
  plainGet: [],
  timeoutGet: [],
  clientGet: [],
  plainStatus: [],
  timeoutStatus: [],
  clientStatus: [],
  plainPost: [],
  timeoutPost: [],
  clientPost: [],
};
const ratios = [];
const noTimeoutRatios = [];
for (let r = 0; r < ROUNDS; r++) {
  // ABBA order: whatever drifts along a round (GC debt, the mock's ring buffer) hits both sides alike.
  const order = r % 2 === 0 ? ['plain', 'client'] : ['client', 'plain'];
  const sample = {};
  for (const side of order) {
    if (side === 'plain') {
      sample.plainGet = await round(plain.get);
      sample.timeoutGet = await round(plain.getWithTimeout);
      sample.plainStatus = await round(plain.status);
      sample.timeoutStatus = await round(plain.statusWithTimeout);
      sample.plainPost = await round(plain.post);
      sample.timeoutPost = await round(plain.postWithTimeout);
    } else {
      sample.clientGet = await round(typed.get);
      sample.clientStatus = await round(typed.status);
      sample.clientPost = await round(typed.post);
    }
  }
  for (const [name, ms] of Object.entries(sample)) times[name].push(ms);
  ratios.push((sample.clientGet + sample.clientPost) / (sample.timeoutGet + sample.timeoutPost));
  noTimeoutRatios.push((sample.clientGet + sample.clientPost) / (sample.plainGet + sample.plainPost));
}
await mock.close();

const perCallUs = (ms) => ((ms / CALLS) * 1000).toFixed(0);
const m = Object.fromEntries(Object.entries(times).map(([name, values]) => [name, median(values)]));
console.log(`rounds=${ROUNDS} calls_per_round=${CALLS} (sequential, keep-alive, in-process mock)`);
for (const [name, values] of Object.entries(times)) {
  console.log(
    `${name.padEnd(13)} median ${perCallUs(m[name])} us/call   rounds(ms) ${values.map((v) => v.toFixed(0)).join(' ')}`,
  );
}
console.log(
  `GET  ratio=${(m.clientGet / m.timeoutGet).toFixed(3)} (vs no time limit ${(m.clientGet / m.plainGet).toFixed(3)}; the limit alone ${(m.timeoutGet / m.plainGet).toFixed(3)})`,
);
console.log(
  `GET with a parameter (vps.status) ratio=${(m.clientStatus / m.timeoutStatus).toFixed(3)} (vs no time limit ${(m.clientStatus / m.plainStatus).toFixed(3)})`,
);
console.log(
  `POST ratio=${(m.clientPost / m.timeoutPost).toFixed(3)} (vs no time limit ${(m.clientPost / m.plainPost).toFixed(3)})`,
);
// The headline: the median of the per-round ratios (each round pairs both sides, back to back).
console.log(`client overhead_ratio=${median(ratios).toFixed(3)} vs_no_timeout=${median(noTimeoutRatios).toFixed(3)}`);
