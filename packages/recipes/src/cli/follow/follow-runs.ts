import type { Engine, RunHandle } from '@fornex-flow/core';
import { readableError } from '../output/error-text.js';
import { formatClock } from '../output/format.js';

/** How one followed run ended in this process. */
export type RunResult =
  | { status: 'completed'; output: unknown }
  | { status: 'failed'; message: string }
  | { status: 'cancelled' }
  | { status: 'lost'; message: string };

/** Why following stopped. */
export type FollowOutcome =
  | { kind: 'done'; results: Map<string, RunResult> }
  | { kind: 'left'; reason: string; dueMs: number | null }
  | { kind: 'interrupted'; signal: string };

function resultOfError(error: unknown): RunResult {
  const e = error as { code?: string; message?: string; details?: { message?: string } };
  if (e?.code === 'RUN_FAILED')
    return { status: 'failed', message: readableError(e.details?.message ?? e.message ?? 'failed') };
  if (e?.code === 'RUN_CANCELLED') return { status: 'cancelled' };
  return { status: 'lost', message: e?.message ?? String(error) };
}

/**
 * Waits for the runs to end, at most `waitMs` (Infinity: forever). A run that sets a timer due
 * after that is left at once (it would only sleep here); SIGINT/SIGTERM interrupt. The runs are
 * durable either way: the caller closes the engine, which releases them to a worker or `resume`.
 */
export function followRuns(
  engine: Engine,
  handles: readonly RunHandle[],
  waitMs: number,
  nextDeadline: () => number | undefined | Promise<number | undefined>,
): Promise<FollowOutcome> {
  const leaveAt = Date.now() + waitMs;
  const followed = new Set(handles.map((h) => h.runId));
  const results = new Map<string, RunResult>();
  return new Promise((resolve) => {
    let finished = false;
    const offs: (() => void)[] = [];
    let timeout: NodeJS.Timeout | undefined;
    const inFlight = new Set<string>();
    // Asleep: no step of ours in flight and the earliest timer falls due after the wait. (A
    // timeout timer far ahead is not a sleep while a poll timer is due sooner.)
    const checkAsleep = async () => {
      if (finished || inFlight.size > 0) return;
      const dueMs = await nextDeadline();
      if (!finished && inFlight.size === 0 && dueMs !== undefined && dueMs > leaveAt)
        finish({ kind: 'left', reason: `it sleeps until ${formatClock(dueMs)}`, dueMs });
    };
    const onSignal = (signal: NodeJS.Signals) => finish({ kind: 'interrupted', signal });
    const finish = (outcome: FollowOutcome) => {
      if (finished) return;
      finished = true;
      for (const off of offs) off();
      if (timeout) clearTimeout(timeout);
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      resolve(outcome);
    };
    offs.push(
      engine.on('run:started', (e) => {
        if (e.parentRunId && followed.has(e.parentRunId)) followed.add(e.runId);
      }),
      engine.on('step:started', (e) => {
        if (followed.has(e.runId)) inFlight.add(`${e.runId}/${e.stepKey}`);
      }),
      engine.on('step:succeeded', (e) => void inFlight.delete(`${e.runId}/${e.stepKey}`)),
      engine.on('step:failed', (e) => void inFlight.delete(`${e.runId}/${e.stepKey}`)),
      engine.on('step:retrying', (e) => {
        inFlight.delete(`${e.runId}/${e.stepKey}`);
        void checkAsleep();
      }),
      engine.on('timer:set', (e) => {
        if (followed.has(e.runId)) void checkAsleep();
      }),
      engine.on('run:waiting', (e) => {
        if (followed.has(e.runId)) void checkAsleep();
      }),
    );
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    if (Number.isFinite(waitMs))
      timeout = setTimeout(
        () => finish({ kind: 'left', reason: `still running after --wait ${waitMs} ms`, dueMs: null }),
        Math.max(0, waitMs),
      );
    if (handles.length === 0) finish({ kind: 'done', results });
    for (const handle of handles) {
      handle
        .result()
        .then(
          (output) => results.set(handle.runId, { status: 'completed', output }),
          (error: unknown) => results.set(handle.runId, resultOfError(error)),
        )
        .finally(() => {
          if (results.size === handles.length) finish({ kind: 'done', results });
        });
    }
  });
}

/** `--wait`: milliseconds, or `forever`; the default is forever on a terminal and 5 minutes when piped. */
export function parseWait(value: string | undefined, isTty: boolean): number {
  if (value === undefined) return isTty ? Number.POSITIVE_INFINITY : PIPED_DEFAULT_WAIT_MS;
  if (value === 'forever' || value === 'inf') return Number.POSITIVE_INFINITY;
  if (!/^\d+$/.test(value)) return Number.NaN;
  return Number(value);
}

/** How long `run` and `resume` wait when their output is not a terminal (scripts, CI, cron). */
export const PIPED_DEFAULT_WAIT_MS = 300_000;
