import { describe, expect, it } from 'vitest';
import { held, RunQueue } from './run-queue.js';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('RunQueue', () => {
  it('runs items one at a time, in order, across promises and held items', async () => {
    const log: string[] = [];
    const queue = new RunQueue(
      () => false,
      async () => {},
    );
    queue.push(() => void log.push('a'));
    queue.push(async () => {
      await tick();
      log.push('b');
    });
    queue.push(() => {
      log.push('c held');
      setImmediate(() => {
        log.push('c done');
        queue.resume();
      });
      return held;
    });
    const d = queue.pushAwaited(() => void log.push('d'));
    expect(log).toEqual([]); // nothing runs synchronously inside push
    await d;
    expect(log).toEqual(['a', 'b', 'c held', 'c done', 'd']);
  });

  it('hands an error to onError, then goes on; an awaiting caller resolves', async () => {
    const errors: unknown[] = [];
    const queue = new RunQueue(
      () => false,
      async (error) => void errors.push(error),
    );
    const boom = new Error('boom');
    const first = queue.pushAwaited(() => {
      throw boom;
    });
    const second = queue.pushAwaited(async () => {
      throw new Error('later');
    });
    let ran = false;
    const third = queue.pushAwaited(() => {
      ran = true;
    });
    await Promise.all([first, second, third]);
    expect(errors.map((e) => (e as Error).message)).toEqual(['boom', 'later']);
    expect(ran).toBe(true);
  });

  it('rejects the awaiting caller when onError itself fails, and still goes on', async () => {
    const queue = new RunQueue(
      () => false,
      async () => {
        throw new Error('could not record');
      },
    );
    const failing = queue.pushAwaited(() => {
      throw new Error('boom');
    });
    const next = queue.pushAwaited(() => {});
    await expect(failing).rejects.toThrow('could not record');
    await expect(next).resolves.toBeUndefined();
  });

  it('skips items once stopped, resolving their callers', async () => {
    let stopped = false;
    const log: string[] = [];
    const queue = new RunQueue(
      () => stopped,
      async () => {},
    );
    await queue.pushAwaited(() => void log.push('before'));
    stopped = true;
    await queue.pushAwaited(() => void log.push('after'));
    expect(log).toEqual(['before']);
  });
});
