import { createRedactor, type Engine, REDACTED } from '@fornex-flow/core';
import type { FeedEvent, Reporter } from './feed.js';

/** What a command's log may show in clear, and what it must never echo. */
export interface SecretGuardOptions {
  engine: Engine;
  /** The runs whose outputs this command delivers to its caller (`run`'s run, `resume`'s runs). */
  delivers(runId: string): boolean;
  /** Secret values the caller gave (secret input fields): never echoed, even in a delivered output. */
  secretValues?: readonly string[];
}

/** A reporter that has lines still to write: `flush()` writes them, before the engine closes. */
export interface GuardedReporter extends Reporter {
  flush(): Promise<void>;
}

/** Redacts the caller's secret values from any JSON-like value (each spelling, in every string). */
export function secretValueRedactor(values: readonly string[] = []): (value: unknown) => unknown {
  // 4 characters or more, as the engine's rule for quoted secrets: a shorter one would blank digits everywhere.
  const redactors = values.filter((value) => value.length >= 4).map(createRedactor);
  return (value) => redactors.reduce((current, redactor) => redactor.value(current), value);
}

/**
 * Puts a reporter behind a guard for its log: a step's or run's output is written as the database
 * holds it (each secret `[REDACTED]`) unless the command delivers that run to its caller, and the
 * caller's own secret values are never echoed. Event engines carry secret outputs in clear (they
 * are the caller's), so a worker's or serve's log, or the lines of a run a command adopted, would
 * otherwise print a new root password. Lines keep their order; a lookup that fails shows `[REDACTED]`.
 */
export function guardSecrets(inner: Reporter, options: SecretGuardOptions): GuardedReporter {
  const { engine, delivers } = options;
  const redact = secretValueRedactor(options.secretValues);
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  // Written at once while nothing waits for a lookup (so lines leave as events happen), else in turn.
  const enqueue = (write: () => void | Promise<void>) => {
    pending++;
    queue = queue
      .then(write)
      .catch(() => {})
      .finally(() => pending--);
  };
  const then = (write: () => void) => (pending === 0 ? write() : enqueue(write));

  const stored = async (event: FeedEvent): Promise<unknown> => {
    if (event.name === 'step:succeeded') {
      const { runId, stepKey } = event.payload;
      const step = (await engine.steps(runId)).find((row) => row.stepKey === stepKey);
      return step ? step.output : REDACTED;
    }
    if (event.name === 'run:completed') {
      const { runId } = event.payload;
      return (await engine.get(runId))?.output ?? REDACTED;
    }
    return undefined;
  };

  return {
    follow: (run) => then(() => inner.follow(run)),
    event(event) {
      const { runId } = event.payload;
      if ((event.name !== 'step:succeeded' && event.name !== 'run:completed') || delivers(runId)) {
        then(() => inner.event(redact(event) as FeedEvent));
        return;
      }
      const output = stored(event).catch(() => REDACTED);
      enqueue(async () => {
        const shown = { ...event, payload: { ...event.payload, output: await output } } as FeedEvent;
        inner.event(redact(shown) as FeedEvent);
      });
    },
    info: (line) => then(() => inner.info(line)),
    stop: () => then(() => inner.stop()),
    flush: () => queue,
  };
}

/** The reporter as it is, for output modes that never print outputs (plain lines, the live block). */
export function unguarded(inner: Reporter): GuardedReporter {
  return Object.assign(inner, { flush: async () => {} });
}
