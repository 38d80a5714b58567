#!/usr/bin/env node
// `npm run demo`: starts the mock in-process and walks through a few documented operations.
// Recipes will take this over once the engine lands; until then it shows the mock at work.
import { PERSONAL_API_KEY, startMockServer } from '@fornex-flow/mock-server';

const mock = await startMockServer({ port: 0, powerDelayMs: 2000 });
const key = PERSONAL_API_KEY;

async function get(path, params = {}) {
  const query = new URLSearchParams({ ...params, apikey: key });
  const response = await fetch(`${mock.url}${path}?${query}`);
  return response.text();
}

async function post(path, params = {}) {
  const response = await fetch(`${mock.url}${path}`, {
    method: 'POST',
    body: new URLSearchParams({ ...params, apikey: key }),
  });
  return response.text();
}

async function advance(ms) {
  await fetch(`${mock.url}/__mock/clock/advance`, { method: 'POST', body: JSON.stringify({ ms }) });
}

function show(label, text) {
  console.log(`${label.padEnd(34)} ${text.trim().split('\n')[0]}`);
}

try {
  console.log(`fornex-mock listening at ${mock.url}\n`);
  show('balance', await get('/api/account/balance'));
  show('VPS 34-177054 status', await get('/api/vps/status/34-177054/'));
  show('restart', await post('/api/vps/restart/34-177054/'));
  show('status right after', await get('/api/vps/status/34-177054/'));
  await advance(2000);
  show('status 2 s of mock time later', await get('/api/vps/status/34-177054/'));

  const reset = JSON.parse(await get('/api/vps/passwd_reset/34-177054/'));
  show('passwd_reset', `{"resp_id": ${reset.resp_id}, "passwd": "<hidden>"}`);
  for (let poll = 1; poll <= 3; poll++) {
    const details = JSON.parse(await get('/api/vps/log_details/34-177054/', { log_id: reset.resp_id }));
    show(`log_details poll ${poll}`, `completed=${details.completed} job_state=${details.job_state}`);
  }

  show(
    'add DNS record',
    await post('/api/dns/v0.1/example.com/entry_set/add/', { host: 'demo', type: 'A', value: '192.0.2.7', ttl: '600' }),
  );
  show(
    'same record again',
    await post('/api/dns/v0.1/example.com/entry_set/add/', { host: 'demo', type: 'A', value: '192.0.2.7' }),
  );
  const zone = await get('/api/dns/v0.1/example.com/zone_file/');
  show('zone file line for demo', zone.split('\n').find((line) => line.startsWith('demo')) ?? '(missing)');
  show('change_ns', await post('/api/change_ns/375-13/', { nss: 'ns1.company.com,ns2.company.com' }));

  const journal = await (await fetch(`${mock.url}/__mock/requests`)).json();
  console.log(
    `\n${journal.requests.length} requests journaled, key redacted: ${!JSON.stringify(journal).includes(key)}`,
  );
} finally {
  await mock.close();
}
