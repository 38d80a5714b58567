import { describe, expect, it } from 'vitest';
import { RunStatus, TimerKind } from '../status.js';
import type { TimerRow, TransitionCommit } from '../store/types.js';
import { bareCommit } from './prepare-transition.js';
import { TimerLedger } from './timer-ledger.js';

const run = { runId: 'r', owner: 'o', status: RunStatus.Waiting, seq: 0 };
const row = (timerId: string, deadlineMs: number, kind: TimerRow['kind'] = TimerKind.Event): TimerRow => ({
  runId: 'r',
  timerId,
  kind,
  deadlineMs,
  payloadJson: `{"type":"${timerId}"}`,
});
const commit = (extra: Partial<TransitionCommit>) => bareCommit(run, 0, { type: 't', payloadJson: '{}' }, extra);

describe('TimerLedger', () => {
  it('fires timers due together in the order they were set, whatever the order of delivery', () => {
    const ledger = new TimerLedger();
    ledger.apply(commit({ timersSet: [row('z', 10), row('a', 10)] }));
    // The store delivers by timer id: 'a' first; 'z' was set first, so it fires first.
    expect(ledger.next(row('a', 10))?.timerId).toBe('z');
    ledger.apply(commit({ firedTimer: 'z' }));
    expect(ledger.next(row('z', 10))?.timerId).toBe('a');
  });

  it('fires nothing for a delivered row cancelled or replaced since it was read', () => {
    const ledger = new TimerLedger();
    ledger.apply(commit({ timersSet: [row('a', 10)] }));
    ledger.apply(commit({ timersCancelled: ['a'], timersSet: [row('a', 30)] }));
    expect(ledger.next(row('a', 10))).toBeUndefined();
    expect(ledger.next(row('a', 30))?.deadlineMs).toBe(30);
  });

  it('ignores retry timers, and restores ties in timer-id order', () => {
    const ledger = new TimerLedger();
    ledger.restore([row('b', 5), row('retry', 1, TimerKind.Retry), row('a', 5)]);
    expect(ledger.next(row('b', 5))?.timerId).toBe('a');
  });
});
