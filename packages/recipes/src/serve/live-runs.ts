import type { Engine } from '@fornex-flow/core';
import { type RunSummary, summarize } from './run-view.js';

/** Tells subscribers about every run that changed, whichever process drives it. */
export interface LiveRuns {
  /** Calls `listener` with each run that changes from now on; resolves (to the unsubscribe function) once listening. */
  subscribe(listener: (run: RunSummary) => void): Promise<() => void>;
  close(): void;
}

/**
 * Watches the store: runs this process drives are announced on their engine events at once;
 * runs other processes drive (the same database, another `worker` or `serve`) by polling it
 * every `pollMs` while someone listens. A run is announced when its status or update time moved.
 */
export function createLiveRuns(engine: Engine, pollMs: number, now: () => number = Date.now): LiveRuns {
  const listeners = new Set<(run: RunSummary) => void>();
  const seen = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let queued = false;

  const versionOf = (run: RunSummary) => `${run.status}:${run.updatedMs}`;
  const scan = async (announce: boolean) => {
    for (const info of await engine.list()) {
      const run = summarize(info, now());
      const version = versionOf(run);
      if (seen.get(run.runId) === version) continue;
      seen.set(run.runId, version);
      if (announce) for (const listener of listeners) listener(run);
    }
  };
  // One scan at a time: an older listing must not land after a newer one.
  let scanning: Promise<void> = Promise.resolve();
  const safeScan = () => {
    queued = false;
    scanning = scanning.then(() =>
      scan(true).catch(() => {
        // A store closed under us (shutdown) or busy: the next poll tries again.
      }),
    );
  };
  const nudge = () => {
    if (queued || listeners.size === 0) return;
    queued = true;
    setImmediate(safeScan);
  };
  const offs = (
    ['run:started', 'run:transition', 'run:waiting', 'run:completed', 'run:failed', 'run:cancelled'] as const
  ).map((name) => engine.on(name, nudge));

  return {
    async subscribe(listener) {
      if (listeners.size === 0) {
        seen.clear();
        timer = setInterval(safeScan, pollMs);
      }
      listeners.add(listener);
      // What exists now is the page's to load (after this resolves); only later changes are news.
      if (listeners.size === 1) {
        scanning = scanning.then(() => scan(false).catch(() => {}));
        await scanning;
      }
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && timer) clearInterval(timer);
      };
    },
    close() {
      if (timer) clearInterval(timer);
      listeners.clear();
      for (const off of offs) off();
    },
  };
}
