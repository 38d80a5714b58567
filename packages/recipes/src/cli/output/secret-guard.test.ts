import { Writable } from 'node:stream';
import type { Engine } from '@fornex-flow/core';
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

// The two reads the guard makes, answering as a store does: outputs with their secrets redacted.
// 'gone' has no rows: the read fails, as it would on a closed engine.
const engine = {
  steps: async (runId: string) => {
    if (runId === 'gone') throw new Error('the engine is closed');
    return [{ stepKey: 'reset#1', output: { password: '[REDACTED]' } }];
  },
  get: async () => ({ output: { password: '[REDACTED]', note: 'stored' } }),
} as unknown as Engine;

describe('guardSecrets', () => {
  it('shows outputs of runs it does not deliver as stored, in the order the events came', async () => {
    const out = sink();
    const guard = guardSecrets(createNdjsonReporter({ stdout: out.stream, stderr: out.stream, env: {} }), {
      engine,
      delivers: (runId) => runId === 'mine',
    });
    guard.event(ev('step:succeeded', { runId: 'other', stepKey: 'reset#1', output: { password: 'Pw-Clear-1' } }));
    guard.event(ev('timer:set', { runId: 'other', timerId: 't', deadlineMs: 1 }));
    guard.event(ev('run:completed', { runId: 'other', output: { password: 'Pw-Clear-1' } }));
    guard.event(ev('step:succeeded', { runId: 'gone', stepKey: 'x#1', output: 'Pw-Clear-2' }));
    guard.event(ev('run:completed', { runId: 'mine', output: { password: 'Pw-Mine-3' } }));
    await guard.flush();
    const lines = out.lines();
    expect(lines.map((line) => line.event)).toEqual([
      'step:succeeded',
      'timer:set',
      'run:completed',
      'step:succeeded',
      'run:completed',
    ]);
    expect(lines.map((line) => line.output)).toEqual([
      { password: '[REDACTED]' },
      undefined,
      { password: '[REDACTED]', note: 'stored' },
      '[REDACTED]',
      { password: 'Pw-Mine-3' },
    ]);
  });

  it("never echoes the caller's secret values, in any spelling, even in a delivered output", async () => {
    const out = sink();
    const guard = guardSecrets(createNdjsonReporter({ stdout: out.stream, stderr: out.stream, env: {} }), {
      engine,
      delivers: () => true,
      secretValues: ['s3cret pass', 'abc'],
    });
    guard.event(
      ev('run:completed', { runId: 'mine', output: { note: 'used s3cret pass (s3cret%20pass, s3cret+pass) abc' } }),
    );
    await guard.flush();
    // 'abc' is under 4 characters: redacting it would blank it everywhere.
    expect(out.lines()[0]!.output).toEqual({ note: 'used [REDACTED] ([REDACTED], [REDACTED]) abc' });
  });
});
