import { describe, expect, it } from 'vitest';
import { type AnyMachineSnapshot, type EventObject, initialTransition, transition } from 'xstate';
import { EngineErrorCode } from '../../src/engine/index.js';
import { restoreSnapshot, storedSnapshotJson, toStoredSnapshot } from '../../src/engine/run/snapshot-codec.js';
import { sleepyRecipe } from './helpers.js';

const machine = sleepyRecipe.machine;
const roundTrip = (snapshot: AnyMachineSnapshot) =>
  restoreSnapshot(machine, JSON.stringify(toStoredSnapshot(snapshot)), 'run-1');
const view = (snapshot: AnyMachineSnapshot) => ({ ...toStoredSnapshot(snapshot) });

describe('snapshots: JSON round trip', () => {
  const events: EventObject[] = [
    { type: 'xstate.done.actor.first', output: 'hello' } as EventObject,
    { type: 'xstate.after.60000.sleepy.sleeping' },
    { type: 'xstate.done.actor.second', output: 'bye' } as EventObject,
  ];

  it('a restored snapshot transitions exactly like the live one, at every step of a run', () => {
    let [live] = initialTransition(machine, { name: 'r' });
    for (const event of events) {
      const restored = roundTrip(live);
      expect(view(restored)).toEqual(view(live));
      const [nextLive, liveActions] = transition(machine, live, event);
      const [nextRestored, restoredActions] = transition(machine, restored, event);
      expect(view(nextRestored)).toEqual(view(nextLive));
      // stopChild differs by design: a restored snapshot has no child actor refs to stop.
      const types = (actions: readonly { type: string }[]) =>
        actions.map((a) => a.type).filter((t) => t !== 'xstate.stopChild');
      expect(types(restoredActions)).toEqual(types(liveActions));
      live = nextLive;
    }
    expect(live.status).toBe('done');
    expect(roundTrip(live).output).toEqual({ first: 'hello', second: 'bye' });
  });

  it('stores a small snapshot: no children, no actor refs', () => {
    const [snapshot] = initialTransition(machine, { name: 'r' });
    expect(JSON.parse(JSON.stringify(toStoredSnapshot(snapshot)))).toEqual({
      status: 'active',
      value: 'first',
      context: { name: 'r' },
    });
  });

  it('storedSnapshotJson writes the same text as JSON.stringify(toStoredSnapshot())', () => {
    let [live] = initialTransition(machine, { name: 'r' });
    const snapshots = [live];
    for (const event of events) {
      [live] = transition(machine, live, event);
      snapshots.push(live);
    }
    const odd = [
      { status: 'active', value: { a: 'x', b: { c: 'y' } }, context: undefined },
      { status: 'error', value: 'x', context: { f: () => 1, s: 'quote " and \\ slash' }, error: new Error('e') },
      { status: 'done', value: 'x', context: null, output: 0 },
    ] as unknown as AnyMachineSnapshot[];
    for (const snapshot of [...snapshots, ...odd])
      expect(storedSnapshotJson(snapshot)).toBe(JSON.stringify(toStoredSnapshot(snapshot)));
  });

  it('refuses unreadable or foreign snapshots with CORRUPT_RUN', () => {
    for (const json of ['{', 'null', '{"context": {}}', '{"status":"active","value":"no-such-state","context":{}}']) {
      expect(() => restoreSnapshot(machine, json, 'run-1'), json).toThrow(
        expect.objectContaining({ code: EngineErrorCode.CorruptRun, runId: 'run-1' }),
      );
    }
  });
});
