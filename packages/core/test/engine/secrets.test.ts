import { describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { REDACTED } from '../../src/client/index.js';
import { defineRecipe, EngineErrorCode, stepActor } from '../../src/engine/index.js';
import { databaseBytes, makeEngine, nextEvent, tempDbPath } from './helpers.js';

const apiKey = 'SECRET-API-KEY-d41d8cd98f00';
const oldPassword = 'old-root-pass-7731';
const newPassword = 'fresh-root-pass-9f2e';

// Resets a root password: the step's output is the new password, the input carries the old one.
const resetPassword = defineRecipe({
  id: 'reset-password',
  version: 1,
  description: 'reset a root password, then wait for a confirmation',
  input: z.object({ orderId: z.string(), oldPassword: z.string() }),
  secretInput: ['oldPassword'],
  machine: setup({
    types: {
      input: {} as { orderId: string; oldPassword: string },
      context: {} as { orderId: string; oldPassword: string; password?: string },
    },
    actors: { reset: stepActor<{ passwd: string }, { orderId: string; oldPassword: string }>() },
  }).createMachine({
    id: 'reset-password',
    context: ({ input }) => ({ ...input }),
    initial: 'reset',
    states: {
      reset: {
        invoke: {
          id: 'reset',
          src: 'reset',
          input: ({ context }) => ({ orderId: context.orderId, oldPassword: context.oldPassword }),
          onDone: { target: 'confirm', actions: assign({ password: ({ event }) => event.output.passwd }) },
        },
      },
      confirm: { on: { CONFIRMED: 'done' } },
      done: { type: 'final' },
    },
    output: ({ context }) => ({ orderId: context.orderId, password: context.password }),
  }),
  steps: {
    reset: {
      secretOutput: true,
      retry: { maxAttempts: 2, initialIntervalMs: 10 },
      run: async ({ input, client, attempt }) => {
        const { key } = client as unknown as { key: string };
        // The first attempt fails with a message that quotes the key, as a careless error would.
        if (attempt === 1) throw Object.assign(new Error(`503 from https://x/api?apikey=${key}`), { status: 503 });
        expect((input as { oldPassword: string }).oldPassword).toBe(oldPassword);
        return { passwd: newPassword };
      },
    },
  },
});

describe('secrets', () => {
  it('never writes the API key, secret inputs or secret outputs to SQLite, and still delivers the new password', async () => {
    const dbPath = tempDbPath();
    const { engine, clock } = makeEngine(dbPath, { client: { key: apiKey }, secrets: [apiKey] });
    engine.register(resetPassword);
    const succeeded = nextEvent(engine, 'step:succeeded');
    const waiting = nextEvent(engine, 'run:waiting');
    const retrying = nextEvent(engine, 'step:retrying');
    const completed = nextEvent(engine, 'run:completed');
    const handle = await engine.start('reset-password', { orderId: '34-177054', oldPassword });
    await retrying;
    await clock.advance(10);
    // Listeners see the secret output as the store shows it; only result() delivers it.
    expect((await succeeded).output).toBe(REDACTED);
    await waiting;
    await engine.send(handle.runId, { type: 'CONFIRMED' });
    await expect(handle.result()).resolves.toEqual({ orderId: '34-177054', password: newPassword });
    expect((await completed).output).toEqual({ orderId: '34-177054', password: REDACTED });

    const info = await engine.get(handle.runId);
    expect(info?.input).toEqual({ orderId: '34-177054', oldPassword: REDACTED });
    expect(info?.output).toEqual({ orderId: '34-177054', password: REDACTED });
    expect(JSON.stringify(await engine.history(handle.runId))).toContain(REDACTED);
    await engine.close();
    const bytes = databaseBytes(dbPath);
    expect(bytes).toContain('34-177054');
    for (const secret of [apiKey, oldPassword, newPassword]) expect(bytes).not.toContain(secret);
  });

  it('asks for secret inputs again when resuming in a new process', async () => {
    const dbPath = tempDbPath();
    const first = makeEngine(dbPath, { client: { key: apiKey }, secrets: [apiKey] });
    first.engine.register(resetPassword);
    const retrying = nextEvent(first.engine, 'step:retrying');
    const { runId } = await first.engine.start('reset-password', { orderId: '34-1', oldPassword });
    await retrying;
    await first.engine.close();

    const { engine, clock } = makeEngine(dbPath, { client: { key: apiKey }, secrets: [apiKey] });
    engine.register(resetPassword);
    await expect(engine.resume(runId)).rejects.toMatchObject({
      code: EngineErrorCode.SecretUnavailable,
      message: expect.stringContaining('oldPassword'),
    });
    expect((await engine.get(runId))?.leaseOwner).toBeNull();
    const waiting = nextEvent(engine, 'run:waiting');
    await engine.resume(runId, { secretInput: { oldPassword } });
    await clock.advance(10);
    await waiting;
    expect((await engine.get(runId))?.state).toBe('confirm');
    await engine.close();
    for (const secret of [apiKey, oldPassword, newPassword]) expect(databaseBytes(dbPath)).not.toContain(secret);
  });
});
