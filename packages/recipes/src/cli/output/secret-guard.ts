import { createRedactor } from '@fornex-flow/core';
import type { Reporter } from './feed.js';

/** What a command's log may show in clear, and what it must never echo. */
export interface SecretGuardOptions {
  /** The result of a run this command delivers to its caller (`run`'s run, `resume`'s runs); undefined for the others. */
  delivered(runId: string): (() => Promise<unknown>) | undefined;
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
 * Puts a reporter behind a guard for its log. The engine's events show every secret `[REDACTED]`;
 * a run this command delivers to its caller has its `run:completed` line carry the output in clear,
 * as `result()` gives it, and the caller's own secret values are never echoed. Lines keep their order.
 */
export function guardSecrets(inner: Reporter, options: SecretGuardOptions): GuardedReporter {
  const redact = secretValueRedactor(options.secretValues);
  let queue: Promise<void> = Promise.resolve();
  let pending = 0;
  // Written at once while nothing waits for a result (so lines leave as events happen), else in turn.
  const enqueue = (write: () => void | Promise<void>) => {
    pending++;
    queue = queue
      .then(write)
      .catch(() => {})
      .finally(() => pending--);
  };
  const then = (write: () => void) => (pending === 0 ? write() : enqueue(write));

  return {
    follow: (run) => then(() => inner.follow(run)),
    event(event) {
      const result = event.name === 'run:completed' ? options.delivered(event.payload.runId) : undefined;
      if (event.name !== 'run:completed' || !result) {
        then(() => inner.event(redact(event) as typeof event));
        return;
      }
      const output = result().catch(() => event.payload.output);
      enqueue(async () => {
        const shown = { ...event, payload: { ...event.payload, output: await output } };
        inner.event(redact(shown) as typeof event);
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
