#!/usr/bin/env node
// `npm run demo`: the whole stack, with nothing to configure: the mock server in-process, the
// typed client against it, and a durable run of the engine on a temporary SQLite file (reset a
// root password, then poll its job on durable timers until it completes). The recipes package
// and `fornex-flow demo` will take this over.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createEngine, createFornexClient, defineRecipe } from '@fornex-flow/core';
import { PERSONAL_API_KEY, startMockServer } from '@fornex-flow/mock-server';
import { sqliteStore } from '@fornex-flow/sqlite';
import { assign, setup } from 'xstate';
import { z } from 'zod';

const show = (label, value) => console.log(`  ${label.padEnd(30)} ${value}`);

const resetRootPassword = defineRecipe({
  id: 'reset-root-password',
  version: 1,
  description: 'resets the root password of a VPS and polls its job until it completes',
  input: z.object({ orderId: z.string() }),
  machine: setup({}).createMachine({
    id: 'reset-root-password',
    context: ({ input }) => ({ orderId: input.orderId, jobId: null, polls: 0 }),
    initial: 'resetting',
    states: {
      resetting: {
        invoke: {
          id: 'reset',
          src: 'reset',
          input: ({ context }) => ({ orderId: context.orderId }),
          onDone: { target: 'polling', actions: assign({ jobId: ({ event }) => event.output.resp_id }) },
        },
      },
      polling: {
        invoke: {
          id: 'poll',
          src: 'poll',
          input: ({ context }) => ({ orderId: context.orderId, jobId: context.jobId }),
          onDone: [
            { guard: ({ event }) => event.output.completed, target: 'done' },
            { target: 'waiting', actions: assign({ polls: ({ context }) => context.polls + 1 }) },
          ],
        },
      },
      waiting: { after: { 300: 'polling' } },
      done: { type: 'final' },
    },
    output: ({ context }) => ({ jobId: context.jobId, polls: context.polls + 1 }),
  }),
  steps: {
    // A GET with a side effect: not idempotent, and its output (the password) is a secret.
    reset: { secretOutput: true, run: ({ input, client }) => client.vps.passwdReset(input.orderId) },
    poll: {
      idempotent: true,
      run: async ({ input, client }) => {
        const job = await client.vps.logDetails(input.orderId, input.jobId);
        return { completed: job.completed, state: job.job_state };
      },
    },
  },
});

const mock = await startMockServer({ port: 0, powerDelayMs: 2000 });
const dir = mkdtempSync(join(tmpdir(), 'fornex-flow-demo-'));
try {
  console.log(`mock server at ${mock.url}\n`);
  const client = createFornexClient({ apiKey: PERSONAL_API_KEY, baseURL: mock.url });

  console.log('typed client:');
  const { balance, currency } = await client.account.balance();
  show('balance', `${balance} ${currency}`);
  show('orders', (await client.orders.list()).map((o) => `${o.id} (${o.type})`).join(', '));
  show('VPS 34-177054', (await client.vps.status('34-177054')).status);
  show('restart', JSON.stringify(await client.vps.restart('34-177054')));
  show('status right after', (await client.vps.status('34-177054')).status);
  await fetch(`${mock.url}/__mock/clock/advance`, { method: 'POST', body: JSON.stringify({ ms: 2000 }) });
  show('status 2 s of mock time later', (await client.vps.status('34-177054')).status);
  const pk = (
    await client.request('dns.addRecord', {
      name: 'example.com',
      host: 'demo',
      type: 'A',
      value: '192.0.2.7',
      ttl: 600,
    })
  ).pk;
  show('DNS record added', `pk ${pk}`);
  const again = await client
    .request('dns.addRecord', { name: 'example.com', host: 'demo', type: 'A', value: '192.0.2.7' })
    .catch((e) => e);
  show('the same record again', `FornexError code=${again.code}: ${again.body?.error}`);

  console.log('\ndurable engine (SQLite in a temporary folder):');
  const dbPath = join(dir, 'runs.db');
  // No `secrets` option: the engine redacts the key of the client it is given.
  const engine = createEngine({ store: sqliteStore({ path: dbPath }), client });
  engine.register(resetRootPassword);
  engine.on('step:succeeded', (e) =>
    show(
      `step ${e.stepKey}`,
      e.step === 'reset' ? `job ${e.output.resp_id}, new password received` : JSON.stringify(e.output),
    ),
  );
  engine.on('timer:set', (e) => show('durable timer set', `${e.deadlineMs - Date.now()} ms`));
  const run = await engine.start('reset-root-password', { orderId: '34-177054' });
  const output = await run.result();
  show('run', `${(await engine.get(run.runId))?.status}: ${JSON.stringify(output)}`);
  show('history entries', (await engine.history(run.runId)).length);
  await engine.close();
  const stored =
    readFileSync(dbPath).toString('latin1') + readFileSync(`${dbPath}-wal`, { flag: 'a+' }).toString('latin1');
  show('API key in the database', stored.includes(PERSONAL_API_KEY) ? 'YES (bug)' : 'no');

  const journal = await (await fetch(`${mock.url}/__mock/requests`)).json();
  console.log('\nmock server:');
  const redacted = !JSON.stringify(journal).includes(PERSONAL_API_KEY);
  show('requests journaled', `${journal.requests.length}, key redacted: ${redacted}`);
} finally {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
}
