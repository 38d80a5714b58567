import { sqliteStore } from '@fornex-flow/sqlite';
import { describe, expect, it } from 'vitest';
import { setup } from 'xstate';
import { z } from 'zod';
import {
  createEngine,
  createFakeClock,
  defineRecipe,
  RunStatus,
  type StoreWrite,
  stepActor,
} from '../../src/engine/index.js';
import { nextEvent, tempDbPath } from './helpers.js';

// Which commits the engine lets a store acknowledge before they are on disk (`asyncCommit`, used
// by the PostgreSQL store): only those that record an idempotent step's outcome while the run keeps
// running, with no timer or cancellation in them, scheduling only idempotent steps. Every write of a run is recorded in order.
const durability = defineRecipe({
  id: 'durability',
  version: 1,
  description: 'idempotent steps, a step that is not idempotent, an external event, a timer',
  input: z.object({}),
  machine: setup({
    actors: {
      read: stepActor<string>(),
      flaky: stepActor<string>(),
      slow: stepActor<string>(),
      post: stepActor<string>(),
    },
  }).createMachine({
    id: 'durability',
    initial: 'a',
    states: {
      a: { invoke: { id: 'a', src: 'read', onDone: 'timed' } },
      // A timer armed by an idempotent step's outcome, and cancelled by the next one.
      timed: { invoke: { id: 'timed', src: 'read', onDone: 'race' }, after: { 60000: 'done' } },
      // The outcome of x leaves the parallel state and cancels y, still in flight.
      race: {
        type: 'parallel',
        states: {
          x: { invoke: { id: 'x', src: 'read', onDone: '#durability.b' } },
          y: { invoke: { id: 'y', src: 'slow' } },
        },
      },
      // An idempotent step that fails: its failure is an idempotent outcome too.
      b: { invoke: { id: 'b', src: 'flaky', onError: 'c' } },
      c: { invoke: { id: 'c', src: 'read', onDone: 'd' } },
      d: { invoke: { id: 'd', src: 'read', onDone: 'post' } },
      post: { invoke: { id: 'post', src: 'post', onDone: 'check' } },
      check: { invoke: { id: 'check', src: 'read', onDone: 'approval' } },
      approval: { on: { approve: 'last' } },
      last: { invoke: { id: 'last', src: 'read', onDone: 'done' } },
      done: { type: 'final' },
    },
  }),
  steps: {
    read: { idempotent: true, run: () => 'ok' },
    slow: {
      idempotent: true,
      run: ({ signal }) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))),
    },
    flaky: {
      idempotent: true,
      run: () => {
        throw new Error('no');
      },
    },
    post: { reconcile: () => ({ done: false }), run: () => 'posted' },
  },
});

function recordingEngine() {
  const store = sqliteStore({ path: tempDbPath() });
  const writes: StoreWrite[] = [];
  const writeBatch = store.writeBatch.bind(store);
  store.writeBatch = (batch) => {
    writes.push(...batch);
    return writeBatch(batch);
  };
  const engine = createEngine({ store, clock: createFakeClock(1_000_000) });
  engine.register(durability);
  return { engine, writes };
}

const describeWrite = (w: StoreWrite) =>
  w.kind === 'started'
    ? `started ${w.stepKey}`
    : `${w.kind} ${w.commit.history.type} ${w.commit.history.payloadJson.match(/"stepKey":"([^"]+)"/)?.[1] ?? ''}`.trim();

describe('which commits may skip waiting for the disk', () => {
  it('only the outcomes of idempotent steps that leave the run running with no timer change', async () => {
    const { engine, writes } = recordingEngine();
    const handle = await engine.start('durability', {});
    await nextEvent(engine, 'run:waiting', (e) => e.runId === handle.runId);
    await engine.send(handle.runId, { type: 'approve' });
    await handle.result();
    expect((await engine.get(handle.runId))?.status).toBe(RunStatus.Completed);
    await engine.close();

    expect(writes.map((w) => [describeWrite(w), w.kind === 'commit' && w.asyncCommit === true])).toEqual([
      ['create run.started', false], // the caller gets the run's id
      ['commit step.succeeded a#1', false], // sets a timer
      ['commit step.succeeded timed#1', false], // cancels it
      ['commit step.succeeded x#1', false], // cancels a step in flight
      ['commit step.failed b#1', true], // an idempotent step's failure, handled by the machine
      ['commit step.succeeded c#1', true], // idempotent, on to another idempotent step
      ['commit step.succeeded d#1', false], // schedules a step that is not idempotent
      ['started post#1', false], // before an effect that must not happen twice
      ['commit step.succeeded post#1', false], // the outcome of that effect
      ['commit step.succeeded check#1', false], // idempotent, but the run now waits for an event
      ['commit event', false], // an external event
      ['commit step.succeeded last#1', false], // the run ends: result() is told
    ]);
  });
});
