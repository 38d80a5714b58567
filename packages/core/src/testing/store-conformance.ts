import { describe, expect, it } from 'vitest';
import { RunStatus, StepStatus, TimerKind } from '../engine/status.js';
import type {
  Awaitable,
  CreateRunResult,
  RunRow,
  StoreWrite,
  TimerRow,
  TransitionCommit,
  WorkflowStore,
} from '../engine/store/types.js';

/** A fresh, empty store for one case, and the ways to damage it that only its implementation knows. */
export interface StoreUnderTest {
  store: WorkflowStore;
  /** Makes the run's step journal unreadable (as a damaged file would); the corrupt-rows case is skipped without it. */
  corruptJournal?(runId: string): Awaitable<void>;
  /** Writes a status the engine does not know into the run's row; that case is skipped without it. */
  setRawStatus?(runId: string, status: string): Awaitable<void>;
}

const owner = 'owner-a';
const other = 'owner-b';

const runRow = (id: string, extra: Partial<RunRow> = {}): RunRow => ({
  id,
  recipeId: 'recipe',
  recipeVersion: '1',
  parentId: null,
  idempotencyKey: null,
  status: RunStatus.Running,
  inputJson: '{"n":1}',
  snapshotJson: '{"value":"s1"}',
  outputJson: null,
  errorJson: null,
  leaseOwner: owner,
  leaseExpiresMs: 10_000,
  createdMs: 1,
  updatedMs: 1,
  ...extra,
});

const transition = (runId: string, seq: number, extra: Partial<TransitionCommit> = {}): TransitionCommit => ({
  runId,
  owner,
  atMs: seq,
  status: RunStatus.Running,
  previousStatus: RunStatus.Running,
  snapshotJson: `{"value":"s${seq}"}`,
  history: { seq, atMs: seq, type: seq === 1 ? 'run.started' : 'event', payloadJson: 'null' },
  newSteps: [],
  cancelledSteps: [],
  timersSet: [],
  timersCancelled: [],
  ...extra,
});

const timer = (runId: string, timerId: string, deadlineMs: number): TimerRow => ({
  runId,
  timerId,
  kind: TimerKind.Event,
  deadlineMs,
  payloadJson: '{"type":"TICK"}',
});

const write = async (store: WorkflowStore, w: StoreWrite) => (await store.writeBatch([w]))[0];
const create = async (store: WorkflowStore, run: RunRow, commit = transition(run.id, 1)) =>
  (await write(store, { kind: 'create', run, commit })) as CreateRunResult;
const commit = async (store: WorkflowStore, c: TransitionCommit) =>
  (await write(store, { kind: 'commit', commit: c })) as boolean;

/**
 * The storage semantics the engine relies on, as a vitest suite any `WorkflowStore` must pass:
 * transitions, timers, leases, idempotency keys, cancellation and corrupt rows. Call it from a test
 * file of the store's package; `makeStore` gives a fresh, empty store for each case (it is closed
 * after the case).
 * @example describeStoreConformance('sqliteStore', () => ({ store: sqliteStore({ path: tempFile() }) }))
 */
export function describeStoreConformance(name: string, makeStore: () => Awaitable<StoreUnderTest>): void {
  const withStore = (run: (subject: StoreUnderTest) => Promise<void>) => async () => {
    const subject = await makeStore();
    try {
      await run(subject);
    } finally {
      await subject.store.close();
    }
  };

  describe(`WorkflowStore conformance: ${name}`, () => {
    it(
      'creates a run with its first transition, and reads it back as written',
      withStore(async ({ store }) => {
        expect(await create(store, runRow('r1', { idempotencyKey: 'k1', parentId: 'p' }))).toEqual({
          created: true,
          runId: 'r1',
        });
        expect(await store.getRun('r1')).toMatchObject({
          id: 'r1',
          recipeId: 'recipe',
          recipeVersion: '1',
          parentId: 'p',
          idempotencyKey: 'k1',
          status: RunStatus.Running,
          inputJson: '{"n":1}',
          snapshotJson: '{"value":"s1"}',
          leaseOwner: owner,
          leaseExpiresMs: 10_000,
        });
        expect(await store.getRun('nope')).toBeUndefined();
        expect((await store.history('r1')).map((h) => [h.seq, h.type])).toEqual([[1, 'run.started']]);
        expect((await store.listRuns({ parentId: 'p' })).map((r) => r.id)).toEqual(['r1']);
        expect((await store.listRuns({ status: RunStatus.Completed })).map((r) => r.id)).toEqual([]);
      }),
    );

    it(
      "applies transitions of the lease holder in order; the newest snapshot is the run's",
      withStore(async ({ store }) => {
        await create(store, runRow('r1'));
        expect(await commit(store, transition('r1', 2))).toBe(true);
        expect(await commit(store, transition('r1', 3, { status: RunStatus.Waiting }))).toBe(true);
        expect(await store.getRun('r1')).toMatchObject({ status: RunStatus.Waiting, snapshotJson: '{"value":"s3"}' });
        expect(
          await commit(
            store,
            transition('r1', 4, {
              previousStatus: RunStatus.Waiting,
              status: RunStatus.Completed,
              outputJson: '"out"',
            }),
          ),
        ).toBe(true);
        expect(await store.getRun('r1')).toMatchObject({
          status: RunStatus.Completed,
          outputJson: '"out"',
          leaseOwner: null,
        });
        expect((await store.history('r1')).map((h) => h.seq)).toEqual([1, 2, 3, 4]);
        expect((await store.listRuns({ status: RunStatus.Completed })).map((r) => r.id)).toEqual(['r1']);
      }),
    );

    it(
      'applies and refuses a write marked asyncCommit exactly as any other (the mark only says it may skip the flush)',
      withStore(async ({ store }) => {
        await create(store, runRow('r1'));
        const results = await store.writeBatch([
          { kind: 'commit', commit: transition('r1', 2), asyncCommit: true },
          { kind: 'commit', commit: { ...transition('r1', 3), owner: other }, asyncCommit: true },
        ]);
        expect(results).toEqual([true, false]);
        expect((await store.history('r1')).map((h) => h.seq)).toEqual([1, 2]);
        expect(await store.getRun('r1')).toMatchObject({ snapshotJson: '{"value":"s2"}', leaseOwner: owner });
        const mixed = await store.writeBatch([
          { kind: 'commit', commit: transition('r1', 3), asyncCommit: true },
          { kind: 'started', runId: 'r1', stepKey: 'post#1', attempt: 1, owner, atMs: 3, deadlineMs: 100 },
        ]);
        expect(mixed).toEqual([true, true]);
        expect((await store.history('r1')).map((h) => h.seq)).toEqual([1, 2, 3]);
      }),
    );

    it(
      'refuses, writing nothing, a transition of an engine that does not hold the lease or of a run that ended',
      withStore(async ({ store }) => {
        await create(store, runRow('r1'));
        expect(await commit(store, { ...transition('r1', 2), owner: other })).toBe(false);
        expect(await commit(store, { ...transition('r1', 2, { status: RunStatus.Waiting }), owner: other })).toBe(
          false,
        );
        expect((await store.history('r1')).map((h) => h.seq)).toEqual([1]);
        expect(await store.getRun('r1')).toMatchObject({ status: RunStatus.Running, snapshotJson: '{"value":"s1"}' });
        expect(await store.cancelRun('r1', 5, { seq: 0, atMs: 5, type: 'run.cancelled', payloadJson: 'null' })).toBe(
          true,
        );
        expect(await commit(store, transition('r1', 3))).toBe(false);
        expect(await store.getRun('r1')).toMatchObject({ status: RunStatus.Cancelled, leaseOwner: null });
      }),
    );

    it(
      'writes a batch in one go and answers each write in order',
      withStore(async ({ store }) => {
        const results = await store.writeBatch([
          { kind: 'create', run: runRow('r1'), commit: transition('r1', 1) },
          { kind: 'create', run: runRow('r2'), commit: transition('r2', 1) },
          { kind: 'commit', commit: transition('r1', 2) },
          { kind: 'commit', commit: { ...transition('r2', 2), owner: other } },
          { kind: 'started', runId: 'r1', stepKey: 'a#1', attempt: 1, owner, atMs: 3, deadlineMs: 1_003 },
        ]);
        expect(results).toEqual([{ created: true, runId: 'r1' }, { created: true, runId: 'r2' }, true, false, true]);
      }),
    );

    it(
      "replays a run's steps: scheduled, started, succeeded, cancelled; loadRun gives what a resume needs",
      withStore(async ({ store }) => {
        const scheduled = (stepKey: string, atMs: number) => ({
          runId: 'r1',
          stepKey,
          step: 'work',
          status: StepStatus.Scheduled,
          attempt: 1,
          inputJson: '{"i":1}',
          outputJson: null,
          errorJson: null,
          updatedMs: atMs,
        });
        await create(
          store,
          runRow('r1'),
          transition('r1', 1, { newSteps: [scheduled('a#1', 1), scheduled('b#1', 1)] }),
        );
        const started = { kind: 'started', runId: 'r1', attempt: 1, atMs: 2, deadlineMs: 1_002 } as const;
        expect(await write(store, { ...started, stepKey: 'a#1', owner })).toBe(true);
        expect(await write(store, { ...started, stepKey: 'b#1', owner: other })).toBe(false);
        const loaded = await store.loadRun('r1');
        // The marker keeps its attempt's deadline: an engine taking the run over waits for it.
        expect(loaded?.openSteps.map((s) => [s.stepKey, s.status, s.deadlineMs ?? null]).sort()).toEqual([
          ['a#1', StepStatus.Started, 1_002],
          ['b#1', StepStatus.Scheduled, null],
        ]);
        expect(loaded?.lastSeq).toBe(1);
        expect(loaded?.visits.get('a')).toBe(1);
        await commit(
          store,
          transition('r1', 2, {
            stepUpdate: {
              stepKey: 'a#1',
              status: StepStatus.Succeeded,
              attempt: 1,
              outputJson: '"done"',
              errorJson: null,
            },
            cancelledSteps: ['b#1'],
            newSteps: [scheduled('a#2', 2)],
          }),
        );
        const steps = await store.steps('r1');
        expect(steps.map((s) => [s.stepKey, s.status, s.outputJson]).sort()).toEqual([
          ['a#1', StepStatus.Succeeded, '"done"'],
          ['a#2', StepStatus.Scheduled, null],
          ['b#1', StepStatus.Cancelled, null],
        ]);
        expect((await store.loadRun('r1'))?.visits.get('a')).toBe(2);
        expect(await store.loadRun('nope')).toBeUndefined();
      }),
    );

    it(
      "keeps timers as absolute deadlines: due ones of the owner's runs in order, deleted when fired or cancelled, dropped when the run ends",
      withStore(async ({ store }) => {
        await create(
          store,
          runRow('r1'),
          transition('r1', 1, { timersSet: [timer('r1', 't1', 300), timer('r1', 't2', 100)] }),
        );
        await create(store, runRow('r2', { leaseOwner: other }), {
          ...transition('r2', 1, { timersSet: [timer('r2', 't1', 50)] }),
          owner: other,
        });
        expect(await store.nextTimerDeadline(owner)).toBe(100);
        expect(await store.dueTimers(owner, 99, 10)).toEqual([]);
        expect((await store.dueTimers(owner, 1_000, 10)).map((t) => t.timerId)).toEqual(['t2', 't1']);
        expect(await store.dueTimers(owner, 1_000, 1)).toEqual([timer('r1', 't2', 100)]);
        await commit(store, transition('r1', 2, { firedTimer: 't2' }));
        expect((await store.dueTimers(owner, 1_000, 10)).map((t) => t.timerId)).toEqual(['t1']);
        await commit(store, transition('r1', 3, { timersCancelled: ['t1'], timersSet: [timer('r1', 't3', 500)] }));
        expect((await store.loadRun('r1'))?.timers.map((t) => t.timerId)).toEqual(['t3']);
        await commit(store, transition('r1', 4, { status: RunStatus.Failed, errorJson: '{"message":"x"}' }));
        expect(await store.nextTimerDeadline(owner)).toBeUndefined();
        expect((await store.dueTimers(other, 1_000, 10)).map((t) => t.runId)).toEqual(['r2']);
      }),
    );

    it(
      'leases: taken when free, expired or already ours; refused while another holds it; renewed and released',
      withStore(async ({ store }) => {
        await create(store, runRow('r1', { leaseExpiresMs: 1_000 }));
        expect(await store.acquireLease('r1', other, 5_000, 999)).toBe(false);
        expect(await store.acquireLease('r1', owner, 2_000, 999)).toBe(true);
        // A renewal names the runs it reached: only those are still the owner's.
        expect(await store.renewLeases(owner, 3_000)).toEqual(['r1']);
        expect(await store.getRun('r1')).toMatchObject({ leaseOwner: owner, leaseExpiresMs: 3_000 });
        expect(await store.claimableRuns(2_999, 10)).toEqual([]);
        expect(await store.claimableRuns(3_001, 10)).toEqual(['r1']);
        expect(await store.acquireLease('r1', other, 9_000, 3_001)).toBe(true);
        expect(await store.renewLeases(owner, 4_000)).toEqual([]);
        expect(await commit(store, transition('r1', 2))).toBe(false);
        await store.releaseLease('r1', owner); // not ours any more: nothing happens
        expect((await store.getRun('r1'))?.leaseOwner).toBe(other);
        await store.releaseLeases(other);
        expect(await store.getRun('r1')).toMatchObject({ leaseOwner: null, leaseExpiresMs: null });
        expect(await store.claimableRuns(0, 10)).toEqual(['r1']);
        expect(await store.unfinishedRuns()).toEqual([
          { runId: 'r1', status: RunStatus.Running, leaseOwner: null, leaseExpiresMs: null },
        ]);
        await store.cancelRun('r1', 5, { seq: 0, atMs: 5, type: 'run.cancelled', payloadJson: 'null' });
        expect(await store.acquireLease('r1', owner, 9_000, 0)).toBe(false);
        expect(await store.unfinishedRuns()).toEqual([]);
        expect(await store.claimableRuns(0, 10)).toEqual([]);
      }),
    );

    it(
      'idempotency keys and run ids: a second create returns the first run and writes nothing',
      withStore(async ({ store }) => {
        await create(store, runRow('r1', { idempotencyKey: 'k' }));
        expect(await create(store, runRow('r2', { idempotencyKey: 'k' }), transition('r2', 1))).toEqual({
          created: false,
          runId: 'r1',
        });
        expect(await create(store, runRow('r1', { inputJson: '{"n":2}' }))).toEqual({ created: false, runId: 'r1' });
        expect((await store.findByIdempotencyKey('k'))?.id).toBe('r1');
        expect(await store.findByIdempotencyKey('other')).toBeUndefined();
        expect(await store.getRun('r2')).toBeUndefined();
        expect(await store.history('r2')).toEqual([]);
        expect((await store.getRun('r1'))?.inputJson).toBe('{"n":1}');
      }),
    );

    it(
      'cancels an active run whoever leases it, dropping its timers; a run that ended stays as it is',
      withStore(async ({ store }) => {
        await create(store, runRow('r1', { leaseOwner: other }), {
          ...transition('r1', 1, { timersSet: [timer('r1', 't', 5)] }),
          owner: other,
        });
        expect(await store.cancelRun('r1', 9, { seq: 0, atMs: 9, type: 'run.cancelled', payloadJson: 'null' })).toBe(
          true,
        );
        expect(await store.getRun('r1')).toMatchObject({ status: RunStatus.Cancelled, leaseOwner: null });
        expect(await store.dueTimers(other, 1_000, 10)).toEqual([]);
        expect((await store.history('r1')).map((h) => h.type)).toEqual(['run.started', 'run.cancelled']);
        expect(await store.cancelRun('r1', 10, { seq: 0, atMs: 10, type: 'run.cancelled', payloadJson: 'null' })).toBe(
          false,
        );
      }),
    );

    it(
      'corrupt rows: a step journal that does not parse is CORRUPT_RUN on load',
      withStore(async ({ store, corruptJournal }) => {
        if (!corruptJournal) return;
        await create(
          store,
          runRow('r1'),
          transition('r1', 1, {
            newSteps: [
              {
                runId: 'r1',
                stepKey: 'a#1',
                step: 'work',
                status: StepStatus.Scheduled,
                attempt: 1,
                inputJson: 'null',
                outputJson: null,
                errorJson: null,
                updatedMs: 1,
              },
            ],
          }),
        );
        await corruptJournal('r1');
        await expect(Promise.resolve().then(() => store.loadRun('r1'))).rejects.toMatchObject({
          code: 'CORRUPT_RUN',
          runId: 'r1',
        });
      }),
    );

    it(
      'corrupt rows: a run with an unknown status is listed as unfinished and never leased',
      withStore(async ({ store, setRawStatus }) => {
        if (!setRawStatus) return;
        await create(store, runRow('r1'));
        await store.releaseLeases(owner);
        await setRawStatus('r1', 'paused');
        expect(await store.unfinishedRuns()).toEqual([
          { runId: 'r1', status: 'paused', leaseOwner: null, leaseExpiresMs: null },
        ]);
        expect(await store.claimableRuns(0, 10)).toEqual([]);
        expect(await store.acquireLease('r1', owner, 9_000, 0)).toBe(false);
      }),
    );
  });
}
