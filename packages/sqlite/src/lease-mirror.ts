/**
 * What this connection knows of the leases it holds: for each run it wrote or checked, the owner
 * and status it left in the database. It lets a commit skip its lease check, which otherwise costs
 * a read of the runs row on every transition.
 *
 * The knowledge is only as good as the database is unchanged by anyone else. SQLite's
 * `PRAGMA data_version` changes exactly when another connection (this process or another) has
 * committed; `sync()`, called at the start of each write transaction (after BEGIN IMMEDIATE, so no
 * one else can commit until it ends), forgets everything when it changed. A cancel or a lease
 * takeover by another engine is therefore always seen: the runs it touched are checked again.
 */
export interface LeaseMirror {
  /** Call first in every write transaction: forgets all when another connection has committed since the last call. */
  sync(): void;
  /** True when this connection left `runId` leased to `owner` with `status`, and nobody else wrote since. */
  holds(runId: string, owner: string, status: string): boolean;
  /** True when this connection left `runId` leased to `owner` (whatever its active status), and nobody else wrote since. */
  heldBy(runId: string, owner: string): boolean;
  /** Records what a successful write or check of this connection left in the runs row. */
  remember(runId: string, owner: string, status: string): void;
  /** Forgets one run (its lease was released, or it ended). */
  forget(runId: string): void;
  /** Forgets every run (a rolled-back transaction, all leases released). */
  forgetAll(): void;
}

/** A lease mirror over `dataVersion` (a reader of `PRAGMA data_version` on the store's connection). */
export function createLeaseMirror(dataVersion: () => number): LeaseMirror {
  const held = new Map<string, { owner: string; status: string }>();
  let seenVersion: number | undefined;
  return {
    sync() {
      const version = dataVersion();
      if (version !== seenVersion) {
        held.clear();
        seenVersion = version;
      }
    },
    holds(runId, owner, status) {
      const known = held.get(runId);
      return known !== undefined && known.owner === owner && known.status === status;
    },
    heldBy(runId, owner) {
      return held.get(runId)?.owner === owner;
    },
    remember(runId, owner, status) {
      const known = held.get(runId);
      if (known) {
        known.owner = owner;
        known.status = status;
      } else held.set(runId, { owner, status });
    },
    forget(runId) {
      held.delete(runId);
    },
    forgetAll() {
      held.clear();
    },
  };
}
