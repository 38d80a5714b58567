import { describe, expect, it } from 'vitest';
import { RunStatus, StepStatus } from '../status.js';
import { encodeStepChanges, replaySteps } from './step-journal.js';
import type { TransitionCommit } from './types.js';

function commit(parts: Partial<TransitionCommit>): TransitionCommit {
  return {
    runId: 'r',
    owner: 'o',
    atMs: 0,
    status: RunStatus.Running,
    history: { seq: 1, atMs: 0, type: 't', payloadJson: 'null' },
    newSteps: [],
    cancelledSteps: [],
    timersSet: [],
    timersCancelled: [],
    ...parts,
  };
}

const scheduled = (stepKey: string, atMs: number) =>
  commit({
    newSteps: [
      {
        runId: 'r',
        stepKey,
        step: 'work',
        status: StepStatus.Scheduled,
        attempt: 1,
        inputJson: '{"n":1}',
        outputJson: null,
        errorJson: null,
        updatedMs: atMs,
      },
    ],
  });

function row(atMs: number, c: TransitionCommit) {
  const stepsJson = encodeStepChanges(c);
  if (stepsJson === null) throw new Error('no changes');
  return { atMs, stepsJson };
}

describe('the step journal', () => {
  it('writes nothing for a transition without step changes', () => {
    expect(encodeStepChanges(commit({}))).toBeNull();
  });

  it('writes the text JSON.stringify makes of the changes, quotes and control characters escaped', () => {
    const odd = 'k"\\\n\u2028é#1';
    const step = (stepKey: string, inputJson: string) => ({
      runId: 'r',
      stepKey,
      step: 'wo"rk',
      status: StepStatus.Scheduled,
      attempt: 1,
      inputJson,
      outputJson: null,
      errorJson: null,
      updatedMs: 0,
    });
    const update = { stepKey: odd, status: StepStatus.Failed, attempt: 3, outputJson: null, errorJson: '{"m":"a\tb"}' };
    const cases: Partial<TransitionCommit>[] = [
      { newSteps: [step('a#1', '{"n":1}')] },
      { newSteps: [step('a#1', 'null'), step(odd, '"x\\"')], cancelledSteps: ['b#2', odd] },
      { stepUpdate: update },
      { stepUpdate: { ...update, status: StepStatus.Succeeded, outputJson: '[1,"2"]', errorJson: null } },
      { cancelledSteps: ['c#1'] },
      { newSteps: [step('a#2', '{}')], stepUpdate: update, cancelledSteps: ['d#1'] },
    ];
    for (const parts of cases) {
      const c = commit(parts);
      const changes: Record<string, unknown> = {};
      if (c.newSteps.length > 0) changes.n = c.newSteps.map((s) => [s.stepKey, s.step, s.inputJson]);
      const u = c.stepUpdate;
      if (u) changes.u = [u.stepKey, u.status, u.attempt, u.outputJson, u.errorJson];
      if (c.cancelledSteps.length > 0) changes.c = c.cancelledSteps;
      expect(encodeStepChanges(c)).toBe(JSON.stringify(changes));
    }
  });

  it('replays scheduled, started (by marker), retried and succeeded steps', () => {
    const rows = [
      row(1, scheduled('a#1', 1)),
      row(
        2,
        commit({
          stepUpdate: {
            stepKey: 'a#1',
            status: StepStatus.Scheduled,
            attempt: 2,
            outputJson: null,
            errorJson: '{"m":"x"}',
          },
        }),
      ),
    ];
    // A marker of attempt 1 is older than the retry's `scheduled` of attempt 2: still scheduled.
    expect(
      replaySteps('r', RunStatus.Running, rows, [{ stepKey: 'a#1', attempt: 1, updatedMs: 1, deadlineMs: null }]),
    ).toMatchObject([
      { stepKey: 'a#1', status: 'scheduled', attempt: 2, inputJson: '{"n":1}', errorJson: '{"m":"x"}' },
    ]);
    // The marker of attempt 2: started.
    expect(
      replaySteps('r', RunStatus.Running, rows, [{ stepKey: 'a#1', attempt: 2, updatedMs: 3, deadlineMs: 900 }]),
    ).toMatchObject([{ status: 'started', attempt: 2, updatedMs: 3, deadlineMs: 900 }]);
    const done = [
      ...rows,
      row(
        4,
        commit({
          stepUpdate: { stepKey: 'a#1', status: StepStatus.Succeeded, attempt: 2, outputJson: '7', errorJson: null },
        }),
      ),
    ];
    expect(
      replaySteps('r', RunStatus.Running, done, [{ stepKey: 'a#1', attempt: 2, updatedMs: 3, deadlineMs: 900 }]),
    ).toMatchObject([{ status: 'succeeded', attempt: 2, outputJson: '7', updatedMs: 4 }]);
  });

  it('cancels open steps only, and every open step of a cancelled run', () => {
    const rows = [
      row(1, scheduled('a#1', 1)),
      row(
        2,
        commit({
          stepUpdate: { stepKey: 'a#1', status: StepStatus.Succeeded, attempt: 1, outputJson: '1', errorJson: null },
        }),
      ),
      row(3, scheduled('b#1', 3)),
      row(4, commit({ cancelledSteps: ['a#1', 'b#1'] })),
      row(5, scheduled('c#1', 5)),
    ];
    expect(replaySteps('r', RunStatus.Running, rows, []).map((s) => [s.stepKey, s.status])).toEqual([
      ['a#1', 'succeeded'],
      ['b#1', 'cancelled'],
      ['c#1', 'scheduled'],
    ]);
    expect(replaySteps('r', RunStatus.Cancelled, rows, []).map((s) => s.status)).toEqual([
      'succeeded',
      'cancelled',
      'cancelled',
    ]);
  });

  it('throws on a corrupt row (the store reports CORRUPT_RUN)', () => {
    expect(() => replaySteps('r', RunStatus.Running, [{ atMs: 1, stepsJson: '{"n": [' }], [])).toThrow();
  });
});
