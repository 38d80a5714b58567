import {
  corruptRun,
  encodeStepChanges,
  type HistoryRow,
  type LeaseRow,
  type LoadedRun,
  loadedRunOf,
  type RunRow,
  RunStatus,
  replaySteps,
  type StartedMarker,
  type StepChangeRow,
  type StepRow,
  StepStatus,
  type StoreWrite,
  type StoreWriteResult,
  type SyncWorkflowStore,
  type TimerRow,
  type TransitionCommit,
} from '@fornex-flow/core';
import type Database from 'better-sqlite3';
import { createBackgroundCheckpointer } from './background-checkpoint.js';
import { createLeaseMirror } from './lease-mirror.js';
import { migrations as defaultMigrations, type Migration } from './migrations.js';
import { openDatabase } from './open-database.js';

/** Options of `sqliteStore`. */
export interface SqliteStoreOptions {
  /** A file path, or `':memory:'` for tests. */
  path: string;
  /** How long a writer waits for another process's lock before failing. */
  busyTimeoutMs?: number;
  migrations?: readonly Migration[];
  /**
   * Who copies the WAL into the database file: `'background'` (default for files) a worker thread,
   * `'inline'` the committing thread, as SQLite does by default (see background-checkpoint.ts).
   */
  checkpoint?: 'background' | 'inline';
}

// With background checkpoints, the writer still checkpoints past this many WAL pages (16 MiB).
const backstopWalPages = 4096;

// The current snapshot is the newest one in the run's history (migration 0004); the runs row keeps
// the one of its last status change, and older databases' runs rows have only that.
// A run's history rows are keyed run_no << 32 | seq (migration 0007): one stretch of the table per run.
const ofRun = (runNo: string) => `BETWEEN ${runNo} << 32 AND (${runNo} << 32) + 4294967295`;
const runColumns = `id, recipe_id AS recipeId, recipe_version AS recipeVersion, parent_id AS parentId,
  idempotency_key AS idempotencyKey, status, input_json AS inputJson,
  coalesce((SELECT h.snapshot_json FROM history h WHERE h.id ${ofRun('runs.run_no')} AND h.snapshot_json IS NOT NULL
    ORDER BY h.id DESC LIMIT 1), snapshot_json) AS snapshotJson,
  output_json AS outputJson, error_json AS errorJson, lease_owner AS leaseOwner,
  lease_expires_ms AS leaseExpiresMs, created_ms AS createdMs,
  max(updated_ms, coalesce((SELECT h.at_ms FROM history h WHERE h.id ${ofRun('runs.run_no')} ORDER BY h.id DESC LIMIT 1), 0))
    AS updatedMs`;
const timerColumns =
  'run_id AS runId, timer_id AS timerId, kind, deadline_ms AS deadlineMs, payload_json AS payloadJson';
const active = `('${RunStatus.Running}', '${RunStatus.Waiting}')`;

/**
 * Applies the migrations not yet recorded in `schema_migrations`, each in its own transaction.
 * Safe when several processes open one database at once: whether a migration is due is decided
 * inside its write transaction, so the process that waited for another's migration skips it.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = defaultMigrations): string[] {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (name TEXT PRIMARY KEY, applied_ms INTEGER NOT NULL)');
  const isApplied = db.prepare('SELECT 1 FROM schema_migrations WHERE name = ?').pluck();
  const record = db.prepare('INSERT INTO schema_migrations (name, applied_ms) VALUES (?, ?)');
  const done: string[] = [];
  for (const migration of migrations) {
    if (isApplied.get(migration.name)) continue;
    const applied = db
      .transaction(() => {
        if (isApplied.get(migration.name)) return false;
        db.exec(migration.sql);
        record.run(migration.name, Date.now());
        return true;
      })
      .immediate();
    if (applied) done.push(migration.name);
  }
  return done;
}

/**
 * The SQLite WorkflowStore (better-sqlite3, WAL, synchronous=NORMAL: a commit survives a process
 * crash; the last ones may be lost on power failure, see docs/engine.md).
 * @example const store = sqliteStore({ path: 'runs.db' })
 */
export function sqliteStore(options: SqliteStoreOptions): SyncWorkflowStore {
  const db = openDatabase(options.path, options.busyTimeoutMs ?? 5000);
  db.pragma('synchronous = NORMAL');
  migrate(db, options.migrations);
  const inMemory = options.path === ':memory:' || options.path === '';
  const checkpointer =
    (options.checkpoint ?? 'background') === 'background' && !inMemory
      ? createBackgroundCheckpointer(options.path)
      : undefined;
  if (checkpointer) db.pragma(`wal_autocheckpoint = ${backstopWalPages}`);

  const s = {
    insertRun: db.prepare(`INSERT INTO runs (id, recipe_id, recipe_version, parent_id, idempotency_key, status,
      input_json, snapshot_json, output_json, error_json, lease_owner, lease_expires_ms, created_ms, updated_ms)
      VALUES (@id, @recipeId, @recipeVersion, @parentId, @idempotencyKey, @status, @inputJson, @snapshotJson,
      @outputJson, @errorJson, @leaseOwner, @leaseExpiresMs, @createdMs, @updatedMs)`),
    updateRun: db.prepare(`UPDATE runs SET status = ?, snapshot_json = coalesce(?, snapshot_json),
      output_json = coalesce(?, output_json), error_json = coalesce(?, error_json), updated_ms = ?
      WHERE id = ? AND lease_owner = ? AND status IN ${active}`),
    // The same for a final status, releasing the lease in the same statement.
    endRun: db.prepare(`UPDATE runs SET status = ?, snapshot_json = coalesce(?, snapshot_json),
      output_json = coalesce(?, output_json), error_json = coalesce(?, error_json), updated_ms = ?,
      lease_owner = NULL, lease_expires_ms = NULL WHERE id = ? AND lease_owner = ? AND status IN ${active}`),
    // The lease check of a transition that leaves the status as it is (and so writes no runs row).
    holdsLease: db.prepare('SELECT 1 FROM runs WHERE id = ? AND lease_owner = ? AND status = ?').pluck(),
    dataVersion: db.prepare('PRAGMA data_version').pluck(),
    finishRun: db.prepare('UPDATE runs SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = ?'),
    // The key is computed by SQLite: run_no << 32 is past JavaScript's exact integers.
    insertHistory:
      db.prepare(`INSERT INTO history (id, run_id, seq, at_ms, type, payload_json, steps_json, snapshot_json)
      VALUES ((? << 32) + ?, ?, ?, ?, ?, ?, ?, ?)`),
    runNo: db.prepare('SELECT run_no FROM runs WHERE id = ?').pluck(),
    nextSeq: db
      .prepare(
        `SELECT coalesce(max(h.seq), 0) + 1 FROM runs r JOIN history h ON h.id ${ofRun('r.run_no')} WHERE r.id = ?`,
      )
      .pluck(),
    // A `started` marker, written only while `owner` holds the lease (see step-journal.ts).
    startStep: db.prepare(`INSERT OR REPLACE INTO steps (run_id, step_key, step, status, attempt, input_json,
      output_json, error_json, updated_ms, deadline_ms) SELECT ?, ?, '', '${StepStatus.Started}', ?, 'null', NULL, NULL, ?, ?
      WHERE (SELECT lease_owner FROM runs WHERE id = ?) = ?`),
    // The same marker when the lease mirror vouches for the lease (see holdsLease below).
    startHeldStep: db.prepare(`INSERT OR REPLACE INTO steps (run_id, step_key, step, status, attempt, input_json,
      output_json, error_json, updated_ms, deadline_ms) VALUES (?, ?, '', '${StepStatus.Started}', ?, 'null', NULL, NULL, ?, ?)`),
    setTimer: db.prepare(`INSERT OR REPLACE INTO timers (run_id, timer_id, kind, deadline_ms, payload_json)
      VALUES (@runId, @timerId, @kind, @deadlineMs, @payloadJson)`),
    deleteTimer: db.prepare('DELETE FROM timers WHERE run_id = ? AND timer_id = ?'),
    deleteTimers: db.prepare('DELETE FROM timers WHERE run_id = ?'),
    getRun: db.prepare(`SELECT ${runColumns} FROM runs WHERE id = ?`),
    byKey: db.prepare(`SELECT ${runColumns} FROM runs WHERE idempotency_key = ?`),
    listAll: db.prepare(`SELECT ${runColumns} FROM runs ORDER BY created_ms, id`),
    listByStatus: db.prepare(`SELECT ${runColumns} FROM runs WHERE status = ? ORDER BY created_ms, id`),
    listByParent: db.prepare(`SELECT ${runColumns} FROM runs WHERE parent_id = ? ORDER BY created_ms, id`),
    stepChanges: db.prepare(`SELECT h.at_ms AS atMs, h.steps_json AS stepsJson FROM runs r
      JOIN history h ON h.id ${ofRun('r.run_no')} WHERE r.id = ? AND h.steps_json IS NOT NULL ORDER BY h.id`),
    startedMarkers: db.prepare(
      `SELECT step_key AS stepKey, attempt, updated_ms AS updatedMs, deadline_ms AS deadlineMs FROM steps
      WHERE run_id = ? AND status = '${StepStatus.Started}'`,
    ),
    runTimers: db.prepare(`SELECT ${timerColumns} FROM timers WHERE run_id = ?`),
    history: db.prepare(`SELECT h.run_id AS runId, h.seq, h.at_ms AS atMs, h.type, h.payload_json AS payloadJson
      FROM runs r JOIN history h ON h.id ${ofRun('r.run_no')} WHERE r.id = ? ORDER BY h.id`),
    acquire: db.prepare(`UPDATE runs SET lease_owner = ?, lease_expires_ms = ? WHERE id = ? AND status IN ${active}
      AND (lease_owner IS NULL OR lease_owner = ? OR lease_expires_ms < ?)`),
    renew: db
      .prepare(`UPDATE runs SET lease_expires_ms = ? WHERE lease_owner = ? AND status IN ${active} RETURNING id`)
      .pluck(),
    release: db.prepare('UPDATE runs SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = ? AND lease_owner = ?'),
    releaseAll: db.prepare('UPDATE runs SET lease_owner = NULL, lease_expires_ms = NULL WHERE lease_owner = ?'),
    // Every status but the final ones, so that a row with an unknown status is seen (and reported).
    unfinished: db.prepare(`SELECT id AS runId, status, lease_owner AS leaseOwner, lease_expires_ms AS leaseExpiresMs
      FROM runs WHERE status NOT IN ('${RunStatus.Completed}', '${RunStatus.Failed}', '${RunStatus.Cancelled}')
      ORDER BY created_ms, id`),
    claimable: db
      .prepare(`SELECT id FROM runs WHERE status IN ${active}
      AND (lease_owner IS NULL OR lease_expires_ms < ?) ORDER BY created_ms, id LIMIT ?`)
      .pluck(),
    dueTimers:
      db.prepare(`SELECT ${timerColumns.replace(/(\w+) AS/g, 't.$1 AS')} FROM timers t JOIN runs r ON r.id = t.run_id
      WHERE t.deadline_ms <= ? AND r.lease_owner = ? ORDER BY t.deadline_ms LIMIT ?`),
    nextDeadline: db
      .prepare(`SELECT min(t.deadline_ms) FROM timers t JOIN runs r ON r.id = t.run_id
      WHERE r.lease_owner = ?`)
      .pluck(),
    cancelRun: db.prepare(`UPDATE runs SET status = '${RunStatus.Cancelled}', lease_owner = NULL,
      lease_expires_ms = NULL, updated_ms = ? WHERE id = ? AND status IN ${active}`),
  };

  const leases = createLeaseMirror(() => s.dataVersion.get() as number);
  // The lease (and liveness) check comes first: when it fails, nothing was written, so a refused
  // commit needs no savepoint even inside a shared (group) transaction. Most transitions keep the
  // status; they write no runs row, and skip the check when the lease mirror vouches for it.
  const isFinal = (status: string) => status !== RunStatus.Running && status !== RunStatus.Waiting;
  const holdsLease = (c: TransitionCommit): boolean => {
    if (c.previousStatus !== c.status)
      return (
        (isFinal(c.status) ? s.endRun : s.updateRun).run(
          c.status,
          c.snapshotJson ?? null,
          c.outputJson ?? null,
          c.errorJson ?? null,
          c.atMs,
          c.runId,
          c.owner,
        ).changes === 1
      );
    return leases.holds(c.runId, c.owner, c.status) || s.holdsLease.get(c.runId, c.owner, c.status) !== undefined;
  };
  // Each run's run_no (its history key's high half), known from its insert or read once: it never
  // changes. Dropped when the run ends, and all at once when a transaction rolls back (an insert
  // rolled back frees its number).
  const runNos = new Map<string, number>();
  const runNoOf = (runId: string): number => {
    let runNo = runNos.get(runId);
    if (runNo === undefined) {
      runNo = s.runNo.get(runId) as number | undefined;
      // Never met: a write reaches here only after its lease check found the runs row.
      if (runNo === undefined) throw new Error(`run ${runId} has no runs row`);
      runNos.set(runId, runNo);
    }
    return runNo;
  };
  const apply = (c: TransitionCommit): boolean => {
    if (!holdsLease(c)) return false;
    s.insertHistory.run(
      runNoOf(c.runId),
      c.history.seq,
      c.runId,
      c.history.seq,
      c.history.atMs,
      c.history.type,
      c.history.payloadJson,
      encodeStepChanges(c),
      c.snapshotJson ?? null,
    );
    if (c.firedTimer !== undefined) s.deleteTimer.run(c.runId, c.firedTimer);
    for (const id of c.timersCancelled) s.deleteTimer.run(c.runId, id);
    for (const timer of c.timersSet) s.setTimer.run(timer);
    if (isFinal(c.status)) {
      s.deleteTimers.run(c.runId);
      // endRun released the lease already, unless the committer thought the run had ended before.
      if (c.previousStatus === c.status) s.finishRun.run(c.runId);
      leases.forget(c.runId);
      runNos.delete(c.runId);
    } else leases.remember(c.runId, c.owner, c.status);
    return true;
  };
  // Every write transaction starts by syncing the lease mirror; one that rolls back forgets it all.
  const writeTransaction = <A extends unknown[], R>(work: (...args: A) => R) => {
    const tx = db.transaction((...args: A) => {
      leases.sync();
      return work(...args);
    });
    return (...args: A): R => {
      let result: R;
      try {
        result = tx.immediate(...args);
      } catch (error) {
        leases.forgetAll();
        runNos.clear();
        throw error;
      }
      checkpointer?.wrote();
      return result;
    };
  };
  // A run's step rows, replayed from its journal and `started` markers.
  const replayed = (run: RunRow): StepRow[] => {
    try {
      const rows = s.stepChanges.all(run.id) as StepChangeRow[];
      return replaySteps(run.id, run.status, rows, s.startedMarkers.all(run.id) as StartedMarker[]);
    } catch (error) {
      throw corruptRun(run.id, 'step journal', error);
    }
  };
  // Inside the batch's transaction: a clashing INSERT fails alone (SQLite rolls back the statement,
  // not the transaction), so the rest of the batch still commits.
  const create = (run: RunRow, c: TransitionCommit): StoreWriteResult => {
    try {
      runNos.set(run.id, Number(s.insertRun.run(run).lastInsertRowid));
    } catch (error) {
      const code = (error as { code?: string }).code;
      if (code !== 'SQLITE_CONSTRAINT_UNIQUE' && code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw error;
      const existing =
        (run.idempotencyKey !== null && (s.byKey.get(run.idempotencyKey) as RunRow | undefined)) ||
        (s.getRun.get(run.id) as RunRow | undefined);
      if (!existing) throw error;
      return { created: false, runId: existing.id };
    }
    if (run.leaseOwner !== null) leases.remember(run.id, run.leaseOwner, run.status);
    apply(c);
    return { created: true, runId: run.id };
  };
  const applyWrite = (w: StoreWrite): StoreWriteResult => {
    if (w.kind === 'commit') return apply(w.commit);
    if (w.kind === 'started') {
      if (leases.heldBy(w.runId, w.owner))
        return s.startHeldStep.run(w.runId, w.stepKey, w.attempt, w.atMs, w.deadlineMs).changes === 1;
      return s.startStep.run(w.runId, w.stepKey, w.attempt, w.atMs, w.deadlineMs, w.runId, w.owner).changes === 1;
    }
    return create(w.run, w.commit);
  };
  const batchTx = writeTransaction((writes: readonly StoreWrite[]) => {
    const results = new Array<StoreWriteResult>(writes.length);
    for (let i = 0; i < writes.length; i++) results[i] = applyWrite(writes[i] as StoreWrite);
    return results;
  });

  return {
    writeBatch: (writes) => batchTx(writes),
    getRun: (runId) => s.getRun.get(runId) as RunRow | undefined,
    findByIdempotencyKey: (key) => s.byKey.get(key) as RunRow | undefined,
    listRuns(filter) {
      if (filter.parentId !== undefined) {
        const rows = s.listByParent.all(filter.parentId) as RunRow[];
        return filter.status ? rows.filter((row) => row.status === filter.status) : rows;
      }
      return (filter.status ? s.listByStatus.all(filter.status) : s.listAll.all()) as RunRow[];
    },
    loadRun(runId): LoadedRun | undefined {
      const run = s.getRun.get(runId) as RunRow | undefined;
      if (!run) return undefined;
      return loadedRunOf(
        run,
        replayed(run),
        s.runTimers.all(runId) as TimerRow[],
        (s.nextSeq.get(runId) as number) - 1,
      );
    },
    history: (runId) => s.history.all(runId) as HistoryRow[],
    steps(runId) {
      const run = s.getRun.get(runId) as RunRow | undefined;
      if (!run) return [];
      return replayed(run).sort((a, b) => a.updatedMs - b.updatedMs || (a.stepKey < b.stepKey ? -1 : 1));
    },
    // The mirror forgets a run whose lease changed hands on this connection (two owners sharing one store).
    acquireLease(runId, owner, expiresMs, nowMs) {
      if (s.acquire.run(owner, expiresMs, runId, owner, nowMs).changes !== 1) return false;
      leases.forget(runId);
      return true;
    },
    renewLeases: (owner, expiresMs) => s.renew.all(expiresMs, owner) as string[],
    releaseLease(runId, owner) {
      s.release.run(runId, owner);
      leases.forget(runId);
    },
    releaseLeases(owner) {
      s.releaseAll.run(owner);
      leases.forgetAll();
    },
    unfinishedRuns: () => s.unfinished.all() as LeaseRow[],
    claimableRuns: (nowMs, limit) => s.claimable.all(nowMs, limit) as string[],
    dueTimers: (owner, nowMs, limit) => s.dueTimers.all(nowMs, owner, limit) as TimerRow[],
    nextTimerDeadline: (owner) => (s.nextDeadline.get(owner) as number | null) ?? undefined,
    cancelRun: writeTransaction((runId: string, atMs: number, history: Omit<HistoryRow, 'runId'>) => {
      leases.forget(runId);
      if (s.cancelRun.run(atMs, runId).changes !== 1) return false;
      const seq = s.nextSeq.get(runId) as number;
      s.insertHistory.run(runNoOf(runId), seq, runId, seq, history.atMs, history.type, history.payloadJson, null, null);
      runNos.delete(runId);
      s.deleteTimers.run(runId);
      return true;
    }),
    // The connection is closed even when the checkpointer's worker cannot be stopped cleanly.
    close() {
      try {
        checkpointer?.close();
      } finally {
        db.close();
      }
    },
  };
}
