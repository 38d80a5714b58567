/** One schema change of the PostgreSQL store, applied once, in list order, recorded by name. */
export interface PgMigration {
  name: string;
  sql: string;
}

// The write path is one function call per group commit (see write-batch.ts): a batch of
// transitions travels as one JSON parameter and is applied by `ff_write_batch` inside the
// statement's own transaction, so a group commit costs one round trip and one commit however many
// runs it carries. The lease check of each write comes first, as in the SQLite store: a refused
// write changes nothing, so the others of its batch still apply.
const writeBatchFunction = `
CREATE OR REPLACE FUNCTION ff_write_batch(batch jsonb) RETURNS jsonb LANGUAGE plpgsql
  SET search_path FROM CURRENT AS $fn$
DECLARE
  w jsonb;
  c jsonb;
  r jsonb;
  ok boolean;
  existing text;
  results jsonb := '[]'::jsonb;
BEGIN
  -- Locks the batch's existing runs rows first, in id order, as renewLeases does: two transactions
  -- that lock the same rows in different orders deadlock (one of them is then aborted by the server).
  PERFORM 1 FROM runs WHERE id IN (
      SELECT coalesce(value->>'runId', value->'commit'->>'runId') FROM jsonb_array_elements(batch))
    ORDER BY id FOR NO KEY UPDATE;
  FOR w IN SELECT value FROM jsonb_array_elements(batch) LOOP
    IF w->>'kind' = 'started' THEN
      -- A started marker, written only while the owner holds an active run's lease (row locked).
      PERFORM 1 FROM runs WHERE id = w->>'runId' AND lease_owner = w->>'owner'
        AND status IN ('running', 'waiting') FOR NO KEY UPDATE;
      ok := FOUND;
      IF ok THEN
        INSERT INTO steps (run_id, step_key, attempt, updated_ms, deadline_ms)
          VALUES (w->>'runId', w->>'stepKey', (w->>'attempt')::int, (w->>'atMs')::bigint, (w->>'deadlineMs')::bigint)
          ON CONFLICT (run_id, step_key) DO UPDATE
            SET attempt = excluded.attempt, updated_ms = excluded.updated_ms, deadline_ms = excluded.deadline_ms;
      END IF;
      results := results || to_jsonb(ok);
      CONTINUE;
    END IF;
    c := w->'commit';
    IF w->>'kind' = 'create' THEN
      r := w->'run';
      INSERT INTO runs (id, recipe_id, recipe_version, parent_id, idempotency_key, status, input_json,
          snapshot_json, output_json, error_json, lease_owner, lease_expires_ms, created_ms, updated_ms)
        VALUES (r->>'id', r->>'recipeId', r->>'recipeVersion', r->>'parentId', r->>'idempotencyKey', r->>'status',
          r->>'inputJson', r->>'snapshotJson', r->>'outputJson', r->>'errorJson', r->>'leaseOwner',
          (r->>'leaseExpiresMs')::bigint, (r->>'createdMs')::bigint, (r->>'updatedMs')::bigint)
        ON CONFLICT DO NOTHING;
      IF NOT FOUND THEN
        SELECT id INTO existing FROM runs
          WHERE id = r->>'id' OR (r->>'idempotencyKey' IS NOT NULL AND idempotency_key = r->>'idempotencyKey')
          LIMIT 1;
        results := results || jsonb_build_object('created', false, 'runId', existing);
        CONTINUE;
      END IF;
    END IF;
    IF c->>'status' IS DISTINCT FROM c->>'previousStatus' THEN
      UPDATE runs SET status = c->>'status', snapshot_json = coalesce(c->>'snapshotJson', snapshot_json),
          output_json = coalesce(c->>'outputJson', output_json), error_json = coalesce(c->>'errorJson', error_json),
          updated_ms = (c->>'atMs')::bigint
        WHERE id = c->>'runId' AND lease_owner = c->>'owner' AND status IN ('running', 'waiting');
      ok := FOUND;
    ELSE
      -- The row lock orders this write with a takeover's lease update on the same run.
      PERFORM 1 FROM runs WHERE id = c->>'runId' AND lease_owner = c->>'owner' AND status = c->>'status'
        FOR NO KEY UPDATE;
      ok := FOUND;
    END IF;
    IF ok THEN
      INSERT INTO history (run_id, seq, at_ms, type, payload_json, steps_json, snapshot_json)
        VALUES (c->>'runId', (c->'history'->>'seq')::int, (c->'history'->>'atMs')::bigint, c->'history'->>'type',
          c->'history'->>'payloadJson', c->>'stepsJson', c->>'snapshotJson');
      IF c ? 'firedTimer' THEN
        DELETE FROM timers WHERE run_id = c->>'runId' AND timer_id = c->>'firedTimer';
      END IF;
      IF jsonb_array_length(c->'timersCancelled') > 0 THEN
        DELETE FROM timers WHERE run_id = c->>'runId'
          AND timer_id IN (SELECT jsonb_array_elements_text(c->'timersCancelled'));
      END IF;
      IF jsonb_array_length(c->'timersSet') > 0 THEN
        INSERT INTO timers (run_id, timer_id, kind, deadline_ms, payload_json)
          SELECT c->>'runId', t->>'timerId', t->>'kind', (t->>'deadlineMs')::bigint, t->>'payloadJson'
          FROM jsonb_array_elements(c->'timersSet') AS t
          ON CONFLICT (run_id, timer_id) DO UPDATE
            SET kind = excluded.kind, deadline_ms = excluded.deadline_ms, payload_json = excluded.payload_json;
      END IF;
      IF c->>'status' NOT IN ('running', 'waiting') THEN
        DELETE FROM timers WHERE run_id = c->>'runId';
        UPDATE runs SET lease_owner = NULL, lease_expires_ms = NULL WHERE id = c->>'runId';
      END IF;
    END IF;
    IF w->>'kind' = 'create' THEN
      results := results || jsonb_build_object('created', true, 'runId', r->>'id');
    ELSE
      results := results || to_jsonb(ok);
    END IF;
  END LOOP;
  RETURN results;
END
$fn$;
`;

// The write path with its durability switch (see write-batch.ts, waitsForFlush): with
// `wait_for_flush` false the batch's transaction commits with synchronous_commit = off, scoped to
// that transaction (set_config's third argument), so the pooled connection's next transaction is
// back to the server's setting. And a transition applies only on top of the one it follows: after
// a server crash took back asynchronous commits, an engine whose memory is ahead of the database
// has its next transition refused (as for a lost lease: nothing written), and the run resumes from
// what is stored. The one-argument function stays for workers of the previous version.
const writeBatchWithFlushFunction = `
CREATE OR REPLACE FUNCTION ff_write_batch(batch jsonb, wait_for_flush boolean) RETURNS jsonb LANGUAGE plpgsql
  SET search_path FROM CURRENT AS $fn$
DECLARE
  w jsonb;
  c jsonb;
  i int := 0;
  behind int[] := '{}';
  -- The seq that follows each run's last transition of this batch (a run may be created in it).
  next_seq jsonb := '{}'::jsonb;
  kept jsonb := '[]'::jsonb;
  applied jsonb;
  results jsonb := '[]'::jsonb;
BEGIN
  IF NOT wait_for_flush THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  FOR w IN SELECT value FROM jsonb_array_elements(batch) LOOP
    c := w->'commit';
    IF w->>'kind' = 'commit' AND (c->'history'->>'seq')::int <> coalesce((next_seq->>(c->>'runId'))::int,
        1 + coalesce((SELECT max(seq) FROM history WHERE run_id = c->>'runId'), 0)) THEN
      behind := behind || i;
    ELSE
      kept := kept || jsonb_build_array(w);
      IF c IS NOT NULL THEN
        next_seq := next_seq || jsonb_build_object(c->>'runId', (c->'history'->>'seq')::int + 1);
      END IF;
    END IF;
    i := i + 1;
  END LOOP;
  IF cardinality(behind) = 0 THEN
    RETURN ff_write_batch(batch);
  END IF;
  applied := ff_write_batch(kept);
  i := 0;
  FOR n IN 0 .. jsonb_array_length(batch) - 1 LOOP
    IF n = ANY(behind) THEN
      results := results || 'false'::jsonb;
    ELSE
      results := results || jsonb_build_array(applied->i);
      i := i + 1;
    END IF;
  END LOOP;
  RETURN results;
END
$fn$;
`;

// The same contract as 0004's, with the check of which transitions follow their run's stored
// history done by one set-based query instead of a loop that rebuilt JSON values write by write
// (measured on a batch of 100 transitions: 10.5 ms before, 4.3 ms after; see
// docs/internals/postgres-speed.md). A run's k-th transition in the batch (its creation counts)
// must carry seq = its stored last seq + k; one that does not is refused, and so is every later
// one of the same run, since its seq cannot match either.
const writeBatchSetBasedCheckFunction = `
CREATE OR REPLACE FUNCTION ff_write_batch(batch jsonb, wait_for_flush boolean) RETURNS jsonb LANGUAGE plpgsql
  SET search_path FROM CURRENT AS $fn$
DECLARE
  behind bigint[];
  applied jsonb;
BEGIN
  IF NOT wait_for_flush THEN
    PERFORM set_config('synchronous_commit', 'off', true);
  END IF;
  SELECT coalesce(array_agg(x.ord), '{}') INTO behind FROM (
    SELECT e.ord, e.value->>'kind' AS kind, e.value->'commit'->>'runId' AS run_id,
      (e.value->'commit'->'history'->>'seq')::int AS seq,
      row_number() OVER (PARTITION BY e.value->'commit'->>'runId' ORDER BY e.ord) AS nth
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS e(value, ord)
    WHERE e.value->>'kind' IN ('commit', 'create')
  ) x
  WHERE x.kind = 'commit'
    AND x.seq <> x.nth + coalesce((SELECT max(h.seq) FROM history h WHERE h.run_id = x.run_id), 0);
  IF cardinality(behind) = 0 THEN
    RETURN ff_write_batch(batch);
  END IF;
  applied := ff_write_batch(coalesce((SELECT jsonb_agg(e.value ORDER BY e.ord)
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS e(value, ord) WHERE e.ord <> ALL (behind)), '[]'::jsonb));
  -- The refused ones answer false in their places; the others take the applied answers in order.
  RETURN (SELECT jsonb_agg(CASE WHEN e.ord = ANY (behind) THEN 'false'::jsonb
      ELSE applied->(e.ord - 1 - (SELECT count(*) FROM unnest(behind) AS b WHERE b < e.ord))::int END ORDER BY e.ord)
    FROM jsonb_array_elements(batch) WITH ORDINALITY AS e(value, ord));
END
$fn$;
`;

/** The schema, as an ordered list; append, never edit an applied one. */
export const pgMigrations: readonly PgMigration[] = [
  {
    name: '0001-runs-steps-timers-history',
    sql: `
      CREATE TABLE runs (
        id text PRIMARY KEY,
        recipe_id text NOT NULL,
        recipe_version text NOT NULL,
        parent_id text,
        idempotency_key text UNIQUE,
        status text NOT NULL,
        input_json text NOT NULL,
        snapshot_json text NOT NULL,
        output_json text,
        error_json text,
        lease_owner text,
        lease_expires_ms bigint,
        created_ms bigint NOT NULL,
        updated_ms bigint NOT NULL
      );
      CREATE INDEX runs_status ON runs (status);
      CREATE INDEX runs_parent ON runs (parent_id) WHERE parent_id IS NOT NULL;
      CREATE INDEX runs_lease_owner ON runs (lease_owner) WHERE lease_owner IS NOT NULL;
      CREATE INDEX runs_claimable ON runs (created_ms) WHERE status IN ('running', 'waiting');
      -- Only the 'started' markers of non-idempotent steps (the rest is in the history journal).
      CREATE TABLE steps (
        run_id text NOT NULL,
        step_key text NOT NULL,
        attempt integer NOT NULL,
        updated_ms bigint NOT NULL,
        deadline_ms bigint,
        PRIMARY KEY (run_id, step_key)
      );
      CREATE TABLE timers (
        run_id text NOT NULL,
        timer_id text NOT NULL,
        kind text NOT NULL,
        deadline_ms bigint NOT NULL,
        payload_json text NOT NULL,
        PRIMARY KEY (run_id, timer_id)
      );
      CREATE INDEX timers_deadline ON timers (deadline_ms);
      CREATE TABLE history (
        id bigserial PRIMARY KEY,
        run_id text NOT NULL,
        seq integer NOT NULL,
        at_ms bigint NOT NULL,
        type text NOT NULL,
        payload_json text NOT NULL,
        steps_json text,
        snapshot_json text
      );
      CREATE UNIQUE INDEX history_run_seq ON history (run_id, seq);
    `,
  },
  { name: '0002-write-batch-function', sql: writeBatchFunction },
  {
    // Cron schedules (`fornex-flow schedule add`), as in the SQLite store's 0006-schedules.
    name: '0003-schedules',
    sql: `
      CREATE TABLE schedules (
        id text PRIMARY KEY,
        recipe_id text NOT NULL,
        cron text NOT NULL,
        time_zone text,
        input_json text NOT NULL,
        created_ms bigint NOT NULL,
        last_tick_ms bigint
      );
    `,
  },
  { name: '0004-write-batch-flush-choice', sql: writeBatchWithFlushFunction },
  { name: '0005-write-batch-set-based-check', sql: writeBatchSetBasedCheckFunction },
];
