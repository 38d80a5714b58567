import { createHash } from 'node:crypto';
import {
  corruptRun,
  type HistoryRow,
  type LeaseRow,
  type LoadedRun,
  loadedRunOf,
  type RunRow,
  replaySteps,
  type StartedMarker,
  type StepChangeRow,
  type StepRow,
  type TimerRow,
  type WorkflowStore,
} from '@fornex-flow/core';
import pg from 'pg';
import { migratePg, quoteIdent } from './migrate.js';
import { type PgMigration, pgMigrations } from './migrations.js';
import { queriesFor } from './queries.js';
import { decodeWriteResults, encodeWriteBatch, waitsForFlush } from './write-batch.js';

/** Options of `postgresStore`: a connection string (the store owns its pool) or your own pool. */
export type PostgresStoreOptions = (
  | { connectionString: string; pool?: never }
  | { pool: pg.Pool; connectionString?: never }
) & {
  /** The schema holding the store's tables (created if missing; default `fornex_flow`). */
  schema?: string;
  /** Connections of the pool the store creates (default 10). */
  maxConnections?: number;
  migrations?: readonly PgMigration[];
  /**
   * Let the commits that only record an idempotent step's progress skip waiting for the disk
   * (`synchronous_commit = off` for that transaction; default true). A database server crash can
   * then take back the last fraction of a second of such progress, which the run redoes by running
   * those idempotent steps again; false makes every commit wait for its WAL flush.
   */
  asyncCommits?: boolean;
};

// Milliseconds are bigint columns; they fit a JavaScript number exactly (below 2^53).
const int8 = 20;
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === int8 && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * A pool of the store's own. Its idle connections do not keep the process alive (a script that
 * forgot `engine.close()` still ends); a query in flight does.
 */
export function createPool(connectionString: string, max: number): pg.Pool {
  return new pg.Pool({ connectionString, max, allowExitOnIdle: true });
}

/** Runs one statement with the store's type parsers (milliseconds as numbers) on any pool or client. */
export function queryWithTypes<R extends pg.QueryResultRow>(
  on: pg.Pool | pg.PoolClient,
  text: string,
  values: unknown[] = [],
): Promise<pg.QueryResult<R>> {
  return on.query<R>({ text, values, types });
}

/** The asynchronous part of the store's life: applying migrations before the first statement. */
type Ready = Promise<void>;

/**
 * The PostgreSQL WorkflowStore, for many workers on many hosts (node-postgres). A group commit is one
 * round trip (`ff_write_batch`), so concurrent runs share commits as they do on SQLite.
 * @example const store = postgresStore({ connectionString: process.env.DATABASE_URL! })
 */
export function postgresStore(options: PostgresStoreOptions): WorkflowStore {
  const schema = options.schema ?? 'fornex_flow';
  const ownsPool = options.pool === undefined;
  const asyncCommits = options.asyncCommits ?? true;
  const pool = options.pool ?? createPool(options.connectionString, options.maxConnections ?? 10);
  const sql = queriesFor(quoteIdent(schema));
  // Unique per schema (a pool shared by stores of two schemas holds one statement for each), and
  // short: a statement name is cut at 63 bytes.
  const writeBatchStatement = `ff_write_batch_${createHash('sha256').update(schema).digest('hex').slice(0, 16)}`;
  // A connection the server drops while idle in the pool (a restart, pg_terminate_backend) must not
  // take the process down; the pool replaces it on next use, and a query in flight rejects itself.
  const onIdleError = () => {};
  pool.on('error', onIdleError);

  const ready: Ready = (async () => {
    const client = await pool.connect();
    try {
      await migratePg(client, schema, options.migrations ?? pgMigrations);
    } finally {
      client.release();
    }
  })();
  // Until the first call awaits it, a failed migration is not an unhandled rejection.
  ready.catch(() => {});

  const query = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) => {
    await ready;
    // The type parsers travel with each query, so a caller's own pool reads milliseconds as numbers too.
    return queryWithTypes<R>(pool, text, values);
  };
  const rows = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    (await query<R>(text, values)).rows;
  const one = async <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
    (await query<R>(text, values)).rows[0];

  const replayed = async (run: RunRow): Promise<StepRow[]> => {
    const [changes, markers] = await Promise.all([
      rows<StepChangeRow>(sql.stepChanges, [run.id]),
      rows<StartedMarker>(sql.startedMarkers, [run.id]),
    ]);
    try {
      return replaySteps(run.id, run.status, changes, markers);
    } catch (error) {
      throw corruptRun(run.id, 'step journal', error);
    }
  };

  return {
    async writeBatch(writes) {
      await ready;
      // A named statement: each connection parses and plans the per-step call once.
      const { rows: answer } = await pool.query<{ results: unknown }>({
        name: writeBatchStatement,
        text: sql.writeBatch,
        values: [encodeWriteBatch(writes), waitsForFlush(writes, asyncCommits)],
        types,
      });
      return decodeWriteResults(answer[0]?.results, writes.length);
    },
    getRun: (runId) => one<RunRow>(sql.getRun, [runId]),
    findByIdempotencyKey: (key) => one<RunRow>(sql.byKey, [key]),
    async listRuns(filter) {
      if (filter.parentId !== undefined) {
        const found = await rows<RunRow>(sql.listByParent, [filter.parentId]);
        return filter.status ? found.filter((row) => row.status === filter.status) : found;
      }
      return filter.status ? rows<RunRow>(sql.listByStatus, [filter.status]) : rows<RunRow>(sql.listAll);
    },
    async loadRun(runId): Promise<LoadedRun | undefined> {
      const run = await one<RunRow>(sql.getRun, [runId]);
      if (!run) return undefined;
      const [steps, timers, last] = await Promise.all([
        replayed(run),
        rows<TimerRow>(sql.runTimers, [runId]),
        one<{ seq: number }>(sql.lastSeq, [runId]),
      ]);
      return loadedRunOf(run, steps, timers, last?.seq ?? 0);
    },
    history: (runId) => rows<HistoryRow>(sql.history, [runId]),
    async steps(runId) {
      const run = await one<RunRow>(sql.getRun, [runId]);
      if (!run) return [];
      return (await replayed(run)).sort((a, b) => a.updatedMs - b.updatedMs || (a.stepKey < b.stepKey ? -1 : 1));
    },
    acquireLease: async (runId, owner, expiresMs, nowMs) =>
      (await query(sql.acquire, [owner, expiresMs, runId, nowMs])).rowCount === 1,
    // The runs renewed: only those are still this owner's (the engine's lease check relies on it).
    renewLeases: async (owner, expiresMs) =>
      (await rows<{ id: string }>(sql.renew, [expiresMs, owner])).map((r) => r.id),
    releaseLease: async (runId, owner) => void (await query(sql.release, [runId, owner])),
    releaseLeases: async (owner) => void (await query(sql.releaseAll, [owner])),
    unfinishedRuns: () => rows<LeaseRow>(sql.unfinished),
    claimableRuns: async (nowMs, limit) => (await rows<{ id: string }>(sql.claimable, [nowMs, limit])).map((r) => r.id),
    dueTimers: (owner, nowMs, limit) => rows<TimerRow>(sql.dueTimers, [nowMs, owner, limit]),
    nextTimerDeadline: async (owner) =>
      (await one<{ deadline: number | null }>(sql.nextDeadline, [owner]))?.deadline ?? undefined,
    async cancelRun(runId, atMs, history) {
      await ready;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const cancelled = (await client.query(sql.cancelRun, [atMs, runId])).rowCount === 1;
        if (cancelled) {
          await client.query(sql.insertHistory, [runId, history.atMs, history.type, history.payloadJson]);
          await client.query(sql.deleteTimers, [runId]);
        }
        await client.query('COMMIT');
        return cancelled;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    async close() {
      await ready.catch(() => {});
      if (ownsPool) await pool.end();
      pool.off('error', onIdleError);
    },
  };
}
