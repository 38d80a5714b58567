import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { assign, setup } from 'xstate';
import { z } from 'zod';
import { defineRecipe, type Engine, EngineErrorCode, stepActor } from '../../src/engine/index.js';
import { databaseBytes, makeEngine, nextEvent, tempDbPath } from './helpers.js';

// Secrets of every kind: a string, a short string, a number, an object (whose leaves are secrets too),
// and a secret step output. The short string (3 characters: 2 turned up by chance in the checksums of
// WAL frames) uses characters that base64, the ciphertext, never holds, so a grep cannot find it by chance.
const password = 'root-pass-5e1f0a';
const tag = '~#~';
const pin = 740_391;
const creds = { user: 'admin-9b2c71', port: 51_873 };
// Equal to the name of a state: text replacement once turned the stored state into '[REDACTED]'.
const issued = 'waiting';
const issuedCode = 906_117;
const secretsOfInput = [password, tag, String(pin), creds.user, String(creds.port)];
const allSecrets = [...secretsOfInput, `"issued":"${issued}"`, `your new password is ${issued}`, String(issuedCode)];

const input = { orderId: '34-55', password, tag, pin, creds, count: 1234 };

const keeper = defineRecipe({
  id: 'keeper',
  version: 1,
  description: 'issues a secret, waits, then uses it',
  input: z.object({
    orderId: z.string(),
    password: z.string(),
    tag: z.string(),
    pin: z.number(),
    creds: z.object({ user: z.string(), port: z.number() }),
    count: z.number(),
  }),
  secretInput: ['password', 'tag', 'pin', 'creds'],
  machine: setup({
    types: {
      input: {} as typeof input,
      context: {} as typeof input & { issued?: string; code?: number; note?: string },
    },
    actors: {
      issue: stepActor<{ passwd: string; code: number }, typeof input>(),
      use: stepActor<string, { issued: string | undefined; pin: number }>(),
    },
  }).createMachine({
    id: 'keeper',
    context: ({ input }) => ({ ...input }),
    initial: 'issuing',
    states: {
      issuing: {
        invoke: {
          id: 'issue',
          src: 'issue',
          input: ({ context }) => context,
          onDone: {
            target: 'waiting',
            actions: assign({ issued: ({ event }) => event.output.passwd, code: ({ event }) => event.output.code }),
          },
        },
      },
      waiting: { on: { GO: 'using' } },
      using: {
        invoke: {
          id: 'use',
          src: 'use',
          input: ({ context }) => ({ issued: context.issued, pin: context.pin }),
          onDone: { target: 'done', actions: assign({ note: ({ event }) => event.output }) },
        },
      },
      done: { type: 'final' },
    },
    output: ({ context }) => ({ orderId: context.orderId, count: context.count, note: context.note }),
  }),
  steps: {
    issue: {
      idempotent: true,
      secretOutput: true,
      run: ({ input }) => {
        // The step sees every secret input as the value it was given.
        expect(input).toMatchObject({ password: expect.any(String), tag, pin, creds });
        return { passwd: issued, code: issuedCode };
      },
    },
    // Not secret, but its output quotes the secret output: text that must not reach the database either.
    use: { idempotent: true, run: ({ input }) => `your new password is ${input.issued}, pin ${input.pin}` },
  },
});

// Its secret output is not kept in the context: after a restart, only the journal knows it.
const forgotten = 'pw-forgot-771c';
const forgetful = defineRecipe({
  id: 'forgetful',
  version: 1,
  description: 'issues a secret, forgets it, then hears it quoted',
  input: z.object({}),
  machine: setup({ actors: { issue: stepActor<string>(), echo: stepActor<string>() } }).createMachine({
    id: 'forgetful',
    initial: 'issuing',
    context: { echoed: '' },
    states: {
      issuing: { invoke: { id: 'issue', src: 'issue', onDone: 'waiting' } },
      waiting: { on: { GO: 'echoing' } },
      echoing: {
        invoke: {
          id: 'echo',
          src: 'echo',
          onDone: { target: 'done', actions: assign({ echoed: ({ event }) => event.output }) },
        },
      },
      done: { type: 'final' },
    },
  }),
  steps: {
    issue: { idempotent: true, secretOutput: true, run: () => forgotten },
    // The outside world quoting the password back (a server echoing it, a careless log line).
    echo: { idempotent: true, run: () => `the server says: password ${forgotten} set` },
  },
});

const secretKey = randomBytes(32);
const engines: Engine[] = [];
const open = (dbPath: string, options: Parameters<typeof makeEngine>[1] = {}) => {
  const made = makeEngine(dbPath, options);
  made.engine.register(keeper, forgetful);
  engines.push(made.engine);
  return made;
};
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.close();
});

function expectNoSecretIn(dbPath: string) {
  const bytes = databaseBytes(dbPath);
  expect(bytes.includes('34-55')).toBe(true);
  for (const secret of allSecrets) expect(bytes.includes(secret), `the database holds ${secret}`).toBe(false);
  // The stored state is the real one (the secret output equals its name), never a marker.
  expect(bytes.includes('"value":"waiting"')).toBe(true);
  expect(bytes.includes('[REDACTED]')).toBe(false);
}

async function startAndWait(engine: Engine) {
  const waiting = nextEvent(engine, 'run:waiting');
  const { runId } = await engine.start('keeper', input);
  await waiting;
  return runId;
}

describe('secrets at rest', () => {
  it('keeps the state name a secret output equals, and stores no secret of any type (no key)', async () => {
    const dbPath = tempDbPath();
    const { engine } = open(dbPath);
    const waiting = nextEvent(engine, 'run:waiting');
    const handle = await engine.start('keeper', input);
    await waiting;
    const { runId } = handle;
    expect((await engine.get(runId))?.state).toBe('waiting');
    expect((await engine.get(runId))?.input).toMatchObject({ orderId: '34-55', count: 1234, password: '[REDACTED]' });
    expectNoSecretIn(dbPath);
    await engine.send(runId, { type: 'GO' });
    // In the process that ran it, the output quoting the secret is delivered in clear.
    await expect(handle.result()).resolves.toMatchObject({ note: `your new password is ${issued}, pin ${pin}` });
    expect((await engine.get(runId))?.output).toMatchObject({ orderId: '34-55', count: 1234, note: '[REDACTED]' });
    expectNoSecretIn(dbPath);
  });

  it('resumes a run with a secret key: every secret comes back, none is stored, text quoting one after the restart neither', async () => {
    const dbPath = tempDbPath();
    const first = open(dbPath, { secretKey });
    const runId = await startAndWait(first.engine);
    await first.engine.close();
    expectNoSecretIn(dbPath);

    const { engine } = open(dbPath, { secretKey: secretKey.toString('base64') });
    const handle = await engine.resume(runId);
    expect((await engine.get(runId))?.state).toBe('waiting');
    await engine.send(runId, { type: 'GO' });
    await expect(handle.result()).resolves.toEqual({
      orderId: '34-55',
      count: 1234,
      note: `your new password is ${issued}, pin ${pin}`,
    });
    await engine.close();
    expectNoSecretIn(dbPath);
  });

  it('after a restart with the key, text quoting a secret output kept only in the journal is sealed too', async () => {
    const dbPath = tempDbPath();
    const first = open(dbPath, { secretKey });
    const waiting = nextEvent(first.engine, 'run:waiting');
    const { runId } = await first.engine.start('forgetful', {});
    await waiting;
    await first.engine.close();
    const { engine } = open(dbPath, { secretKey });
    await engine.resume(runId);
    await engine.send(runId, { type: 'GO' });
    await (await engine.resume(runId)).result();
    expect((await engine.get(runId))?.status).toBe('completed');
    await engine.close();
    expect(databaseBytes(dbPath).includes(forgotten)).toBe(false);
  });

  it('without a key, a resumed run that needs a secret fails with SECRET_UNAVAILABLE and stays as it was', async () => {
    const dbPath = tempDbPath();
    const first = open(dbPath);
    const runId = await startAndWait(first.engine);
    await first.engine.close();

    const { engine } = open(dbPath);
    await expect(engine.resume(runId)).rejects.toMatchObject({
      code: EngineErrorCode.SecretUnavailable,
      message: expect.stringContaining('password'),
    });
    // The secret inputs supplied, the secret output is still missing: it was never written.
    await expect(engine.resume(runId, { secretInput: { password, tag, pin, creds } })).rejects.toMatchObject({
      code: EngineErrorCode.SecretUnavailable,
      message: expect.stringContaining('issue#1'),
    });
    expect(await engine.get(runId)).toMatchObject({ status: 'waiting', state: 'waiting', leaseOwner: null });
    await engine.close();
    expectNoSecretIn(dbPath);
  });

  it('leaves a number alone when a secret string has the same digits (the stored JSON stays valid)', async () => {
    const dbPath = tempDbPath();
    const first = open(dbPath, { secretKey });
    const runId = await startAndWait(first.engine);
    const digits = await first.engine.start('keeper', { ...input, orderId: '34-56', password: '1234' });
    await first.engine.close();
    for (const id of [runId, digits.runId]) {
      const { engine } = open(dbPath, { secretKey });
      expect((await engine.get(id))?.input).toMatchObject({ count: 1234, password: '[REDACTED]' });
      await engine.resume(id);
      await engine.send(id, { type: 'GO' });
      await expect((await engine.resume(id)).result()).resolves.toMatchObject({ count: 1234 });
      await engine.close();
    }
    expect(databaseBytes(dbPath).includes('"1234"')).toBe(false);
  });

  it('refuses a secret key that is not 32 bytes, without quoting it', () => {
    const dbPath = tempDbPath();
    for (const bad of [randomBytes(16), 'not base64 at all!', randomBytes(33).toString('base64'), 42]) {
      expect(() => makeEngine(dbPath, { secretKey: bad as never })).toThrow(
        expect.objectContaining({ code: EngineErrorCode.InvalidOptions, message: expect.stringContaining('32 bytes') }),
      );
    }
    const quoted = 'c2VjcmV0LWtleS10aGF0LWlzLXRvby1zaG9ydA==';
    expect(() => makeEngine(dbPath, { secretKey: quoted })).toThrow(
      expect.objectContaining({ message: expect.not.stringContaining('c2VjcmV0') }),
    );
  });
});
