// The engine redacts the key of the Fornex client it is given, with no `secrets` option: the
// client registers its key privately (the client object never holds it).
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import { createFornexClient, defineRecipe, REDACTED, stepActor } from '../../src/index.js';
import { databaseBytes, makeEngine, tempDbPath } from '../engine/helpers.js';

const apiKey = 'SECRET key/d41d8cd98f00';
const spellings = [apiKey, encodeURIComponent(apiKey), new URLSearchParams({ k: apiKey }).toString().slice(2)];

// A careless step: its output quotes the key, raw and in a URL.
const quoteKey = defineRecipe({
  id: 'quote-key',
  version: 1,
  description: 'a step whose output quotes the API key',
  input: z.object({}),
  machine: setup({ actors: { quote: stepActor<unknown, Record<string, never>>() } }).createMachine({
    id: 'quote-key',
    initial: 'quoting',
    states: {
      quoting: { invoke: { id: 'quote', src: 'quote', input: () => ({}), onDone: 'done' } },
      done: { type: 'final' },
    },
  }),
  steps: {
    quote: {
      idempotent: true,
      run: () => ({
        note: `called with ${apiKey}`,
        url: `https://fornex.com/api/account/balance?apikey=${encodeURIComponent(apiKey)}`,
        form: `apikey=${spellings[2]}`,
      }),
    },
  },
});

describe('the engine and the client key', () => {
  it('redacts the key of its client from what it stores, without a secrets option', async () => {
    const dbPath = tempDbPath();
    const { engine } = makeEngine(dbPath, { client: createFornexClient({ apiKey }) });
    engine.register(quoteKey);
    const run = await engine.start('quote-key', {});
    await run.result();
    expect(await engine.steps(run.runId)).toMatchObject([
      {
        status: 'succeeded',
        output: {
          note: `called with ${REDACTED}`,
          url: `https://fornex.com/api/account/balance?apikey=${REDACTED}`,
          form: `apikey=${REDACTED}`,
        },
      },
    ]);
    await engine.close();
    const bytes = databaseBytes(dbPath);
    expect(bytes).toContain('called with');
    for (const spelling of spellings) expect(bytes).not.toContain(spelling);
  });
});
