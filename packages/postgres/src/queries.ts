import { RunStatus } from '@fornex-flow/core';

const active = `('${RunStatus.Running}', '${RunStatus.Waiting}')`;
const terminal = `('${RunStatus.Completed}', '${RunStatus.Failed}', '${RunStatus.Cancelled}')`;

// A run's current snapshot is its newest history snapshot (the runs row keeps the one of its last
// status change), as in the SQLite store; updatedMs is the newer of the row and its last history.
const runColumns = `r.id, r.recipe_id AS "recipeId", r.recipe_version AS "recipeVersion", r.parent_id AS "parentId",
  r.idempotency_key AS "idempotencyKey", r.status, r.input_json AS "inputJson",
  coalesce((SELECT h.snapshot_json FROM history h WHERE h.run_id = r.id AND h.snapshot_json IS NOT NULL
    ORDER BY h.seq DESC LIMIT 1), r.snapshot_json) AS "snapshotJson",
  r.output_json AS "outputJson", r.error_json AS "errorJson", r.lease_owner AS "leaseOwner",
  r.lease_expires_ms AS "leaseExpiresMs", r.created_ms AS "createdMs",
  greatest(r.updated_ms, coalesce((SELECT h.at_ms FROM history h WHERE h.run_id = r.id ORDER BY h.seq DESC LIMIT 1), 0))
    AS "updatedMs"`;
const timerColumns = `run_id AS "runId", timer_id AS "timerId", kind, deadline_ms AS "deadlineMs", payload_json AS "payloadJson"`;

/** Every statement of the PostgreSQL store, with unqualified table names (see `queriesFor`). */
const unqualified = {
  writeBatch: 'SELECT ff_write_batch($1::jsonb, $2::boolean) AS results',
  getRun: `SELECT ${runColumns} FROM runs r WHERE r.id = $1`,
  byKey: `SELECT ${runColumns} FROM runs r WHERE r.idempotency_key = $1`,
  listAll: `SELECT ${runColumns} FROM runs r ORDER BY r.created_ms, r.id`,
  listByStatus: `SELECT ${runColumns} FROM runs r WHERE r.status = $1 ORDER BY r.created_ms, r.id`,
  listByParent: `SELECT ${runColumns} FROM runs r WHERE r.parent_id = $1 ORDER BY r.created_ms, r.id`,
  stepChanges: `SELECT at_ms AS "atMs", steps_json AS "stepsJson" FROM history
    WHERE run_id = $1 AND steps_json IS NOT NULL ORDER BY seq`,
  startedMarkers: `SELECT step_key AS "stepKey", attempt, updated_ms AS "updatedMs", deadline_ms AS "deadlineMs"
    FROM steps WHERE run_id = $1`,
  runTimers: `SELECT ${timerColumns} FROM timers WHERE run_id = $1`,
  lastSeq: 'SELECT coalesce(max(seq), 0) AS seq FROM history WHERE run_id = $1',
  history: `SELECT run_id AS "runId", seq, at_ms AS "atMs", type, payload_json AS "payloadJson"
    FROM history WHERE run_id = $1 ORDER BY seq`,
  acquire: `UPDATE runs SET lease_owner = $1, lease_expires_ms = $2 WHERE id = $3 AND status IN ${active}
    AND (lease_owner IS NULL OR lease_owner = $1 OR lease_expires_ms < $4)`,
  // Rows locked in id order, as ff_write_batch locks them (see migrations.ts): no deadlock between the two.
  renew: `UPDATE runs SET lease_expires_ms = $1 WHERE id IN (SELECT id FROM runs
    WHERE lease_owner = $2 AND status IN ${active} ORDER BY id FOR NO KEY UPDATE) RETURNING id`,
  release: 'UPDATE runs SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = $1 AND lease_owner = $2',
  releaseAll: `UPDATE runs SET lease_owner = NULL, lease_expires_ms = NULL WHERE id IN (SELECT id FROM runs
    WHERE lease_owner = $1 ORDER BY id FOR NO KEY UPDATE)`,
  unfinished: `SELECT id AS "runId", status, lease_owner AS "leaseOwner", lease_expires_ms AS "leaseExpiresMs"
    FROM runs WHERE status NOT IN ${terminal} ORDER BY created_ms, id`,
  // Candidates only: the claim itself is acquireLease's conditional UPDATE, which exactly one
  // worker wins (a compare-and-set on the row, the same guarantee SKIP LOCKED gives a queue).
  claimable: `SELECT id FROM runs WHERE status IN ${active}
    AND (lease_owner IS NULL OR lease_expires_ms < $1) ORDER BY created_ms, id LIMIT $2`,
  dueTimers: `SELECT t.run_id AS "runId", t.timer_id AS "timerId", t.kind, t.deadline_ms AS "deadlineMs",
    t.payload_json AS "payloadJson" FROM timers t JOIN runs r ON r.id = t.run_id
    WHERE t.deadline_ms <= $1 AND r.lease_owner = $2 ORDER BY t.deadline_ms LIMIT $3`,
  nextDeadline: `SELECT min(t.deadline_ms) AS deadline FROM timers t JOIN runs r ON r.id = t.run_id
    WHERE r.lease_owner = $1`,
  cancelRun: `UPDATE runs SET status = '${RunStatus.Cancelled}', lease_owner = NULL, lease_expires_ms = NULL,
    updated_ms = $1 WHERE id = $2 AND status IN ${active}`,
  insertHistory: `INSERT INTO history (run_id, seq, at_ms, type, payload_json)
    SELECT $1, coalesce(max(seq), 0) + 1, $2, $3, $4 FROM history WHERE run_id = $1`,
  deleteTimers: 'DELETE FROM timers WHERE run_id = $1',
} as const;

/** The statements of the store, by name. */
export type Queries = { readonly [K in keyof typeof unqualified]: string };

/**
 * The statements with every table (and the batch function) qualified by the store's schema, so they
 * work on any pool, the caller's own included, whatever its search_path.
 */
export function queriesFor(quotedSchema: string): Queries {
  const qualify = (text: string) =>
    text
      .replace(/\b(FROM|JOIN|INTO|UPDATE)\s+(runs|history|steps|timers|schedules)\b/g, `$1 ${quotedSchema}.$2`)
      .replace(/\bff_write_batch\(/g, `${quotedSchema}.ff_write_batch(`);
  return Object.fromEntries(Object.entries(unqualified).map(([name, text]) => [name, qualify(text)])) as Queries;
}
