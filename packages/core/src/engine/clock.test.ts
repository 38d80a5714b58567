import { describe, expect, it } from 'vitest';
import { createFakeClock } from './clock.js';

// A timer whose consequence takes real time (an HTTP call) before it sets the next timer.
function chain(clock: ReturnType<typeof createFakeClock>, fired: number[], work: Set<Promise<void>>) {
  const tick = () => {
    fired.push(clock.now());
    const done = new Promise<void>((resolve) => setTimeout(resolve, 5)).then(() => {
      work.delete(done);
      if (fired.length < 5) clock.setTimeout(tick, 1_000);
    });
    work.add(done);
  };
  clock.setTimeout(tick, 1_000);
}

describe('createFakeClock', () => {
  it('with an idle hook, lets each timer finish its work before time moves on', async () => {
    const work = new Set<Promise<void>>();
    const clock = createFakeClock(0, { idle: async () => void (await Promise.all([...work])) });
    const fired: number[] = [];
    chain(clock, fired, work);
    await clock.advance(5_000);
    expect(fired).toEqual([1_000, 2_000, 3_000, 4_000, 5_000]);
    expect(clock.nextDeadline()).toBeUndefined();
  });

  it('without one, moves on after a few event-loop turns (a slow consequence lands after the jump)', async () => {
    const work = new Set<Promise<void>>();
    const clock = createFakeClock(0);
    const fired: number[] = [];
    chain(clock, fired, work);
    await clock.advance(5_000);
    expect(fired).toEqual([1_000]);
    await Promise.all([...work]);
    expect(clock.nextDeadline()).toBe(6_000);
    await expect(clock.advance(-1)).rejects.toThrow(RangeError);
  });
});
