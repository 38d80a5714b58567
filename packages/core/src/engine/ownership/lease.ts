import { type Clock, inBackground } from '../clock.js';
import type { WorkflowStore } from '../store/types.js';

/** Default lease length: long enough to ride out a GC pause, short enough for a quick takeover. */
export const defaultLeaseMs = 30_000;

/** Keeps this engine's leases alive: one UPDATE renews all of them every third of the lease. */
export interface LeaseKeeper {
  /** The expiry to write when taking a lease now. */
  expiry(): number;
  stop(): void;
}

/**
 * Starts renewing `owner`'s leases in `store` every `leaseMs / 3`. `renewed` hears which runs each
 * renewal reached and the expiry it wrote: only those are known to be still this engine's (a run
 * another engine took over after a stall is not among them), which is what lets a run check its
 * lease before an effect without reading the database (see step-runner.ts). A failed renewal (a
 * busy, full or closing database) goes to `onError` and the next one tries again; a lease lost
 * meanwhile is caught at the next commit or the next attempt's check.
 */
export function createLeaseKeeper(
  store: WorkflowStore,
  clock: Clock,
  owner: string,
  leaseMs: number,
  onError: (error: unknown) => void = () => {},
  renewed: (runIds: readonly string[], expiresMs: number) => void = () => {},
): LeaseKeeper {
  let stopped = false;
  let handle: unknown;
  const failed = (error: unknown) => {
    if (!stopped) onError(error);
  };
  const renew = () => {
    if (stopped) return;
    // The expiry is computed before the UPDATE: a stall between the two only shortens what we believe.
    const expiresMs = clock.now() + leaseMs;
    const reached = (runIds: readonly string[]) => {
      if (!stopped) renewed(runIds, expiresMs);
    };
    try {
      const renewing = store.renewLeases(owner, expiresMs);
      if (renewing instanceof Promise) renewing.then(reached, failed);
      else reached(renewing);
    } catch (error) {
      failed(error);
    }
    handle = inBackground(clock.setTimeout(renew, Math.max(1, Math.floor(leaseMs / 3))));
  };
  handle = inBackground(clock.setTimeout(renew, Math.max(1, Math.floor(leaseMs / 3))));
  return {
    expiry: () => clock.now() + leaseMs,
    stop() {
      stopped = true;
      clock.clearTimeout(handle);
    },
  };
}
