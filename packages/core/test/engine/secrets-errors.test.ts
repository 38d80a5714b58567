import { type RunningMockServer, startMockServer } from '@fornex-flow/mock-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import { createFornexClient, type FornexClient } from '../../src/client/index.js';
import { defineRecipe, type EngineError, EngineErrorCode, stepActor } from '../../src/engine/index.js';
import { databaseBytes, makeEngine, nextEvent, tempDbPath } from './helpers.js';

// A key the mock refuses (so calls fail with a real 403), with characters that every encoding changes.
const apiKey = 'Wr0ng Key/+=é-31c';
const upper = encodeURIComponent(apiKey);
const lower = upper.replace(/%[0-9A-F]{2}/g, (percent) => percent.toLowerCase());
const form = new URLSearchParams({ k: apiKey }).toString().slice(2);
const password = 'pw-4e77b1c0';
const spellings = [apiKey, upper, lower, form, password];

let mock: RunningMockServer;
beforeAll(async () => {
  mock = await startMockServer({ port: 0 });
});
afterAll(async () => mock?.close());

const client = () => createFornexClient({ apiKey, baseURL: mock.url, retry: false });

function oneStepRecipe(id: string, run: (ctx: { client: FornexClient; attempt: number }) => Promise<unknown>) {
  return defineRecipe({
    id,
    version: 1,
    description: 'one step that fails',
    input: z.object({ password: z.string() }),
    secretInput: ['password'],
    machine: setup({ actors: { call: stepActor<unknown, unknown>() } }).createMachine({
      id,
      initial: 'calling',
      states: { calling: { invoke: { id: 'call', src: 'call', onDone: 'done' } }, done: { type: 'final' } },
    }),
    steps: { call: { retry: { maxAttempts: 2, initialIntervalMs: 10 }, run: (ctx) => run(ctx as never) } },
  });
}

// A careless step: its errors quote the key in every spelling, and a secret input.
const careless = oneStepRecipe('careless', async ({ attempt }) => {
  if (attempt === 1) throw Object.assign(new Error(`GET /api/x?apikey=${lower} (${password})`), { status: 503 });
  throw new Error(`POST body apikey=${form}&b=1; header ${apiKey}; url ?apikey=${upper}`);
});

// An honest step: the client's own FornexError, from a real 403 of the mock.
const honest = oneStepRecipe('honest', async ({ client }) => client.account.info());

function expectClean(what: string, text: string) {
  for (const spelling of spellings) expect(text, `${what} holds ${spelling}`).not.toContain(spelling);
}

describe('errors of failed runs', () => {
  it('redact the key in any spelling and the secrets in events, result(), get(), history and the database', async () => {
    const dbPath = tempDbPath();
    const { engine, clock } = makeEngine(dbPath, { client: client() });
    engine.register(careless);
    const seen: unknown[] = [];
    for (const name of ['step:retrying', 'step:failed', 'run:failed'] as const) engine.on(name, (e) => seen.push(e));
    const retrying = nextEvent(engine, 'step:retrying');
    const handle = await engine.start('careless', { password });
    expect((await retrying).error.message).toBe('GET /api/x?apikey=[REDACTED] ([REDACTED])');
    await clock.advance(10);
    const failure = (await handle.result().catch((error: unknown) => error)) as EngineError;
    expect(failure.code).toBe(EngineErrorCode.RunFailed);
    expect(failure.details).toEqual({
      name: 'Error',
      message: 'POST body apikey=[REDACTED]&b=1; header [REDACTED]; url ?apikey=[REDACTED]',
    });
    expectClean('the thrown error', `${failure.message} ${failure.stack} ${JSON.stringify(failure.details)}`);
    expect(seen).toHaveLength(3);
    expectClean('the events', JSON.stringify(seen));
    expectClean('get()', JSON.stringify(await engine.get(handle.runId)));
    expectClean('history()', JSON.stringify(await engine.history(handle.runId)));
    expectClean('steps()', JSON.stringify(await engine.steps(handle.runId)));
    await engine.close();
    expectClean('the database', databaseBytes(dbPath));
  });

  it('are structured (code, name, message, status, endpointId) in run:failed, get() and result(), after a restart too', async () => {
    const dbPath = tempDbPath();
    const { engine } = makeEngine(dbPath, { client: client() });
    engine.register(honest);
    const failed = nextEvent(engine, 'run:failed');
    const handle = await engine.start('honest', { password });
    const expected = {
      name: 'FornexError',
      code: 'auth',
      status: 403,
      endpointId: 'account.info',
      message: expect.stringMatching(/403/),
    };
    expect((await failed).error).toEqual(expected);
    expect((await engine.get(handle.runId))?.error).toEqual(expected);
    await expect(handle.result()).rejects.toMatchObject({ code: EngineErrorCode.RunFailed, details: expected });
    await engine.close();

    const again = makeEngine(dbPath, { client: client() });
    again.engine.register(honest);
    expect((await again.engine.get(handle.runId))?.error).toEqual(expected);
    await expect((await again.engine.resume(handle.runId)).result()).rejects.toMatchObject({ details: expected });
    await again.engine.close();
    expectClean('the database', databaseBytes(dbPath));
  });
});
