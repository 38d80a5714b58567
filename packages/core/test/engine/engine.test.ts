import { afterEach, describe, expect, it } from 'vitest';
import { createMachine } from 'xstate';
import { z } from 'zod';
import { defineRecipe, EngineErrorCode, RunStatus } from '../../src/engine/index.js';
import { effects, makeEngine, nextEvent, sleepyRecipe, tempDbPath } from './helpers.js';

afterEach(() => effects.clear());

describe('engine: a run end to end', () => {
  it('runs steps, sleeps on a durable timer with the fake clock, completes, and records history', async () => {
    const { engine, clock } = makeEngine(tempDbPath());
    engine.register(sleepyRecipe);
    const events: string[] = [];
    for (const name of [
      'run:started',
      'step:started',
      'step:succeeded',
      'timer:set',
      'run:waiting',
      'run:completed',
    ] as const) {
      engine.on(name, () => events.push(name));
    }
    const waiting = nextEvent(engine, 'run:waiting');
    const handle = await engine.start('sleepy', { name: 'ada' });
    await waiting;
    expect(await engine.get(handle.runId)).toMatchObject({ status: RunStatus.Waiting, state: 'sleeping' });
    await clock.advance(59_999);
    expect(effects.get('second')).toBeUndefined();
    await clock.advance(1);
    await expect(handle.result()).resolves.toEqual({ first: 'hello ada', second: 'bye ada' });
    expect((await engine.get(handle.runId))?.status).toBe(RunStatus.Completed);
    expect(events).toEqual([
      'run:started',
      'step:started',
      'step:succeeded',
      'timer:set',
      'run:waiting',
      'step:started',
      'step:succeeded',
      'run:completed',
    ]);
    expect((await engine.history(handle.runId)).map((entry) => entry.type)).toEqual([
      'run.started',
      'step.succeeded',
      'timer',
      'step.succeeded',
    ]);
    expect((await engine.steps(handle.runId)).map((step) => [step.stepKey, step.status])).toEqual([
      ['first#1', 'succeeded'],
      ['second#1', 'succeeded'],
    ]);
    await engine.close();
  });

  it("keeps a listener's error away from the run: the run goes on, the error goes to onListenerError", async () => {
    const heard: string[] = [];
    const { engine, clock } = makeEngine(tempDbPath(), {
      onListenerError: (error, name) => heard.push(`${name}: ${(error as Error).message}`),
    });
    engine.register(sleepyRecipe);
    engine.on('step:succeeded', () => {
      throw new Error('listener bug');
    });
    engine.on('run:transition', () => {
      throw new Error('another');
    });
    const waiting = nextEvent(engine, 'run:waiting');
    const handle = await engine.start('sleepy', { name: 'eve' });
    await waiting;
    await clock.advance(60_000);
    await expect(handle.result()).resolves.toEqual({ first: 'hello eve', second: 'bye eve' });
    expect(effects.get('first')).toBe(1);
    expect(effects.get('second')).toBe(1);
    expect(heard).toContain('step:succeeded: listener bug');
    expect(heard).toContain('run:transition: another');
    expect(heard.filter((line) => line.startsWith('step:succeeded'))).toHaveLength(2);
    await engine.close();
  });

  it('delivers external events through send(), persisted first', async () => {
    const { engine } = makeEngine(tempDbPath());
    engine.register(sleepyRecipe);
    const waiting = nextEvent(engine, 'run:waiting');
    const handle = await engine.start('sleepy', { name: 'bo' });
    await waiting;
    await engine.send(handle.runId, { type: 'WAKE' });
    await expect(handle.result()).resolves.toEqual({ first: 'hello bo', second: 'bye bo' });
    expect((await engine.history(handle.runId)).map((entry) => entry.type)).toContain('event');
    await engine.close();
  });

  it('refuses an unknown recipe and bad input with clear EngineErrors', async () => {
    const { engine } = makeEngine(tempDbPath());
    engine.register(sleepyRecipe);
    await expect(engine.start('nope', {})).rejects.toMatchObject({
      code: EngineErrorCode.UnknownRecipe,
      message: expect.stringContaining('sleepy'),
    });
    await expect(engine.start('sleepy', { name: 42 })).rejects.toMatchObject({
      code: EngineErrorCode.InvalidInput,
      message: expect.stringContaining('name'),
    });
    expect(await engine.list()).toEqual([]);
    await engine.close();
  });

  it('returns the same run for the same idempotency key', async () => {
    const dbPath = tempDbPath();
    const { engine } = makeEngine(dbPath);
    engine.register(sleepyRecipe);
    const a = await engine.start('sleepy', { name: 'x' }, { idempotencyKey: 'k1' });
    const b = await engine.start('sleepy', { name: 'y' }, { idempotencyKey: 'k1' });
    const c = await engine.start('sleepy', { name: 'z' }, { idempotencyKey: 'k2' });
    expect(b.runId).toBe(a.runId);
    expect(c.runId).not.toBe(a.runId);
    expect(await engine.list()).toHaveLength(2);
    expect(effects.get('first')).toBe(2);
    // The steps' results were still queued for the group commit: close() writes them, and nothing
    // reaches the store after it closed (before: "the store could not write (... not open)").
    const failures: string[] = [];
    engine.on('store:write-failed', (e) => failures.push(e.error.message));
    await engine.close();
    await new Promise((resolve) => setImmediate(resolve));
    expect(failures).toEqual([]);
    const again = makeEngine(dbPath).engine;
    again.register(sleepyRecipe);
    expect((await again.steps(a.runId)).map((s) => `${s.stepKey} ${s.status}`)).toEqual(['first#1 succeeded']);
    await again.close();
  });

  it('cancels a sleeping run: status, timers gone, result rejects, later sends refused', async () => {
    const { engine, clock } = makeEngine(tempDbPath());
    engine.register(sleepyRecipe);
    const waiting = nextEvent(engine, 'run:waiting');
    const handle = await engine.start('sleepy', { name: 'c' });
    await waiting;
    const cancelled = nextEvent(engine, 'run:cancelled');
    await expect(engine.cancel(handle.runId)).resolves.toBe(true);
    await cancelled;
    await expect(handle.result()).rejects.toMatchObject({ code: EngineErrorCode.RunCancelled });
    await clock.advance(120_000);
    expect(effects.get('second')).toBeUndefined();
    expect((await engine.get(handle.runId))?.status).toBe(RunStatus.Cancelled);
    await expect(engine.cancel(handle.runId)).resolves.toBe(false);
    await expect(engine.send(handle.runId, { type: 'WAKE' })).rejects.toMatchObject({
      code: EngineErrorCode.RunNotActive,
    });
    await engine.close();
  });

  it('refuses a recipe whose machine invokes a step it does not define, and any use after close()', async () => {
    const machine = createMachine({ initial: 'a', states: { a: { invoke: { src: 'missing' } } } });
    expect(() =>
      defineRecipe({ id: 'broken', version: 1, description: '', input: z.object({}), machine, steps: {} }),
    ).toThrow(
      expect.objectContaining({ code: EngineErrorCode.InvalidRecipe, message: expect.stringContaining('"missing"') }),
    );
    const { engine } = makeEngine(tempDbPath());
    engine.register(sleepyRecipe);
    expect(() => engine.register(defineRecipe({ ...sleepyRecipe, description: 'another definition' }))).toThrow(
      expect.objectContaining({ code: EngineErrorCode.InvalidRecipe }),
    );
    await engine.close();
    await expect(engine.start('sleepy', { name: 'x' })).rejects.toMatchObject({ code: EngineErrorCode.EngineClosed });
  });
});
