import type { Clock } from '@fornex-flow/core';

/** A clock that moves only when told to, waiting for the world to go quiet between timers. */
export interface VirtualClock extends Clock {
  /** Moves time forward by `ms`, firing every timer due on the way in deadline order. */
  advance(ms: number): Promise<void>;
  /** The earliest armed deadline, or undefined when no timer is armed. */
  nextDeadline(): number | undefined;
  /** How many timers are armed. */
  pending(): number;
}

interface VirtualTimer {
  id: number;
  atMs: number;
  callback: () => void;
}

/**
 * Creates a virtual clock at `startMs`. `idle` is awaited before the first timer and after each
 * one fires: unlike the engine's createFakeClock, which lets only a few event-loop turns pass,
 * this lets a fired timer's whole consequence (a commit, a step's HTTP call, the next timer it
 * sets) finish before time moves on, so a poll every 2 s really polls every 2 s of virtual time.
 */
export function createVirtualClock(startMs: number, idle: () => Promise<void>): VirtualClock {
  let nowMs = startMs;
  let nextId = 1;
  const timers = new Map<number, VirtualTimer>();
  const earliest = (): VirtualTimer | undefined => {
    let best: VirtualTimer | undefined;
    for (const timer of timers.values()) {
      if (!best || timer.atMs < best.atMs || (timer.atMs === best.atMs && timer.id < best.id)) best = timer;
    }
    return best;
  };
  return {
    now: () => nowMs,
    setTimeout(callback, delayMs) {
      const id = nextId++;
      timers.set(id, { id, atMs: nowMs + Math.max(0, delayMs), callback });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    async advance(ms) {
      if (!Number.isFinite(ms) || ms < 0)
        throw new RangeError(`advance(ms): ms must be a non-negative number, got ${ms}`);
      const targetMs = nowMs + ms;
      await idle();
      for (let timer = earliest(); timer && timer.atMs <= targetMs; timer = earliest()) {
        timers.delete(timer.id);
        nowMs = Math.max(nowMs, timer.atMs);
        timer.callback();
        await idle();
      }
      nowMs = targetMs;
      await idle();
    },
    nextDeadline: () => earliest()?.atMs,
    pending: () => timers.size,
  };
}
