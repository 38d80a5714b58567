import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { FeedEvent } from './feed.js';
import { createNdjsonReporter } from './ndjson-reporter.js';
import { guardSecrets } from './secret-guard.js';

function sink() {
  let written = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      written += chunk;
      done();
    },
  });
  return {
    stream,
    lines: () =>
      written
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

const ev = (name: string, payload: Record<string, unknown>) => ({ name, atMs: 0, payload }) as FeedEvent;

describe('guardSecrets', () => {
  it("gives a delivered run's completion its result in clear, others as the events show them, in the order they came", async () => {
    const out = sink();
    let deliver!: (output: unknown) => void;
    const mine = new Promise((resolve) => {
      deliver = resolve;
    });
    const guard = guardSecrets(createNdjsonReporter({ stdout: out.stream, stderr: out.stream, env: {} }), {
      delivered: (runId) =>
        runId === 'mine' ? () => mine : runId === 'broken' ? () => Promise.reject(new Error('x')) : undefined,
    });
    guard.event(ev('step:succeeded', { runId: 'mine', stepKey: 'reset#1', output: '[REDACTED]' }));
    guard.event(ev('run:completed', { runId: 'mine', output: { password: '[REDACTED]' } }));
    guard.event(ev('run:completed', { runId: 'other', output: { password: '[REDACTED]' } }));
    guard.event(ev('run:completed', { runId: 'broken', output: { password: '[REDACTED]' } }));
    // The line of 'other' waits behind the delivered result: order is kept.
    expect(out.lines().map((line) => line.event)).toEqual(['step:succeeded']);
    deliver({ password: 'Pw-Mine-3' });
    await guard.flush();
    const lines = out.lines();
    expect(lines.map((line) => [line.event, line.runId])).toEqual([
      ['step:succeeded', 'mine'],
      ['run:completed', 'mine'],
      ['run:completed', 'other'],
      ['run:completed', 'broken'],
    ]);
    expect(lines.map((line) => line.output)).toEqual([
      '[REDACTED]',
      { password: 'Pw-Mine-3' },
      { password: '[REDACTED]' },
      { password: '[REDACTED]' },
    ]);
  });

  it("never echoes the caller's secret values, in any spelling, even in a delivered output", async () => {
    const out = sink();
    const guard = guardSecrets(createNdjsonReporter({ stdout: out.stream, stderr: out.stream, env: {} }), {
      delivered: () => async () => ({ note: 'used s3cret pass (s3cret%20pass, s3cret+pass) abc' }),
      secretValues: ['s3cret pass', 'abc'],
    });
    guard.event(ev('run:completed', { runId: 'mine', output: { note: '[REDACTED]' } }));
    await guard.flush();
    // 'abc' is under 4 characters: redacting it would blank it everywhere.
    expect(out.lines()[0]!.output).toEqual({ note: 'used [REDACTED] ([REDACTED], [REDACTED]) abc' });
  });
});
