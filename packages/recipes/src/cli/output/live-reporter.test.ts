import { Writable } from 'node:stream';
import { stripVTControlCharacters } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { FeedEvent } from './feed.js';
import { createLiveReporter } from './live-reporter.js';

/** A terminal-like stream that keeps what was written. */
function fakeTerminal() {
  let written = '';
  const stream = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written += chunk;
        done();
      },
    }),
    { isTTY: true, columns: 100, rows: 40 },
  );
  return { stream, text: () => stripVTControlCharacters(written) };
}

const at = Date.now();
const ev = (name: string, payload: Record<string, unknown>) => ({ name, atMs: at, payload }) as FeedEvent;

describe('the live reporter', () => {
  it('draws a line per step, a bar per fan-out, counted progress and the next timer', () => {
    const terminal = fakeTerminal();
    const reporter = createLiveReporter(
      { stdout: terminal.stream, stderr: terminal.stream, env: {} },
      {
        'rotate-ssh-keys': {
          label: 'orders',
          totalStep: 'inspect',
          total: (o) => (o as { targets: string[] }).targets.length,
          doneStep: 'rotateBatch',
          done: (o) => (o as unknown[]).length,
        },
      },
    );
    reporter.follow({ runId: 'r1', recipeId: 'rotate-ssh-keys' });
    const step = (name: string, key: string, output: unknown) => {
      reporter.event(ev('step:started', { runId: 'r1', stepKey: key, step: name, attempt: 1 }));
      reporter.event(
        ev('step:succeeded', { runId: 'r1', stepKey: key, step: name, attempt: 1, output, replayed: false }),
      );
    };
    step('inspect', 'inspect#1', { targets: ['a', 'b', 'c', 'd', 'e', 'f'] });
    step('rotateBatch', 'rotateBatch#1', [1, 2, 3, 4]);
    reporter.event(ev('step:started', { runId: 'r1', stepKey: 'rotateBatch#2', step: 'rotateBatch', attempt: 1 }));
    for (const child of ['c1', 'c2', 'c3'])
      reporter.event(ev('run:started', { runId: child, recipeId: 'check', version: '1', parentRunId: 'r1' }));
    reporter.event(ev('run:completed', { runId: 'c1', output: null }));
    reporter.event(ev('run:failed', { runId: 'c2', error: { name: 'Error', message: 'boom' } }));
    reporter.event(
      ev('timer:set', { runId: 'r1', timerId: 'xstate.after.poll.(machine).waiting', deadlineMs: at + 60_000 }),
    );
    reporter.stop();
    const frames = terminal.text();
    const last = frames.slice(frames.lastIndexOf('rotate-ssh-keys r1'));
    expect(last).toMatch(/^rotate-ssh-keys r1 running /);
    expect(last).toMatch(/✔ inspect \d+ ms/);
    expect(last).toMatch(/[⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏] rotateBatch ×2 \d+ ms/);
    expect(last).toMatch(/check █+░+ 2\/3 \(1 failed\)/);
    expect(last).toMatch(/orders █+░+ 4\/6/);
    expect(last).toMatch(/next timer: poll, due in \d+\.\d s/);
  });
});
