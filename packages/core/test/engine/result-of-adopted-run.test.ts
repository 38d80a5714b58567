import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { REDACTED } from '../../src/client/index.js';
import { defineRecipe, stepActor } from '../../src/engine/index.js';
import { makeEngine, nextEvent, tempDbPath } from './helpers.js';

const token = 'tok-adopted-5e1f9a';

// Waits for GO, then mints a secret token and ends with it.
const mintAfterGo = defineRecipe({
  id: 'mint-after-go',
  version: 1,
  description: 'wait for GO, then mint a secret token',
  input: z.object({ label: z.string() }),
  machine: setup({
    types: { input: {} as { label: string }, context: {} as { label: string; token?: string } },
    actors: { mint: stepActor<string, { label: string }>() },
  }).createMachine({
    id: 'mint-after-go',
    context: ({ input }) => ({ ...input }),
    initial: 'idle',
    states: {
      idle: { on: { GO: 'minting' } },
      minting: {
        invoke: {
          id: 'mint',
          src: 'mint',
          input: ({ context }) => ({ label: context.label }),
          onDone: { target: 'done', actions: assign({ token: ({ event }) => event.output }) },
        },
      },
      done: { type: 'final' },
    },
    output: ({ context }) => ({ label: context.label, token: context.token }),
  }),
  steps: { mint: { secretOutput: true, idempotent: true, run: async () => token } },
});

const within = <T>(promise: Promise<T>, ms: number) =>
  Promise.race([promise, new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), ms))]);

describe('result() of a run this engine adopted', () => {
  it('gives the secret output in clear once the run ends here, though its events show it redacted', async () => {
    const dbPath = tempDbPath();
    const first = makeEngine(dbPath);
    first.engine.register(mintAfterGo);
    const started = await first.engine.start('mint-after-go', { label: 'a' }, { idempotencyKey: 'adopt-1' });
    await first.engine.close();

    const second = makeEngine(dbPath);
    second.engine.register(mintAfterGo);
    // The same key finds the stored run, which no engine drives yet: result() waits for its end.
    const handle = await second.engine.start('mint-after-go', { label: 'a' }, { idempotencyKey: 'adopt-1' });
    expect(handle.runId).toBe(started.runId);
    const result = handle.result();
    const completed = nextEvent(second.engine, 'run:completed');
    await second.engine.resume(handle.runId);
    await second.engine.send(handle.runId, { type: 'GO' });
    expect((await completed).output).toEqual({ label: 'a', token: REDACTED });
    expect(await within(result, 5_000)).toEqual({ label: 'a', token });
    await second.engine.close();
  });
});
