import type { ProgressHint } from '../follow/progress-hints.js';
import { readableError } from './error-text.js';
import type { FeedEvent, Reporter } from './feed.js';
import { formatClock, formatDuration } from './format.js';
import { type CliIo, writeLine } from './io.js';
import { RunTree, timerNameOf } from './run-tree.js';

const dueIn = (ms: number) => (ms > 0 ? `in ${formatDuration(ms)}` : 'due now');

/** Piped output: one plain line per thing that happened, easy to grep and to log. */
export function createPlainReporter(io: CliIo, hints: Readonly<Record<string, ProgressHint>> = {}): Reporter {
  const tree = new RunTree(hints);
  const stepStarts = new Map<string, number>();
  let prefix = '';
  const line = (text: string) => writeLine(io.stdout, `${prefix}${text}`);

  return {
    follow(run) {
      tree.follow(run.runId, run.recipeId, run.children, run.earlier);
    },
    event(event: FeedEvent) {
      const at = tree.apply(event);
      if (!at) return;
      const { root, child } = at;
      // Several runs at once (resume --all, a worker): say whose line it is.
      prefix = tree.roots.size > 1 ? `${root.runId} ` : '';
      if (child) {
        const ended = event.name === 'run:completed' || event.name === 'run:failed' || event.name === 'run:cancelled';
        if (ended) {
          const outcome = event.name.slice(4);
          line(`${child.recipeId} ${child.ended.size}/${child.started.size} (${event.payload.runId} ${outcome})`);
        }
        return;
      }
      const p = event.payload as Record<string, unknown>;
      const key = `${event.payload.runId}/${String(p.stepKey)}`;
      switch (event.name) {
        case 'run:started':
          line(`run ${root.runId} ${root.recipeId} started`);
          break;
        case 'step:started':
          stepStarts.set(key, event.atMs);
          line(
            `step ${event.payload.stepKey} started${event.payload.attempt > 1 ? ` (attempt ${event.payload.attempt})` : ''}`,
          );
          break;
        case 'step:succeeded': {
          const started = stepStarts.get(key);
          const took = started === undefined ? '' : ` in ${formatDuration(event.atMs - started)}`;
          line(`step ${event.payload.stepKey} succeeded${took}${event.payload.replayed ? ' (replayed)' : ''}`);
          const counted = root.counted;
          if (counted && hints[root.recipeId]?.doneStep === event.payload.step)
            line(`${counted.label} ${counted.done}/${counted.total ?? '?'}`);
          break;
        }
        case 'step:failed':
          line(`step ${event.payload.stepKey} failed: ${readableError(event.payload.error.message)}`);
          break;
        case 'step:retrying':
          line(
            `step ${event.payload.stepKey} attempt ${event.payload.attempt} failed (${readableError(event.payload.error.message)}); retrying in ${formatDuration(event.payload.delayMs)}`,
          );
          break;
        case 'timer:set':
          line(
            `timer ${timerNameOf(event.payload.timerId)} due at ${formatClock(event.payload.deadlineMs)} (${dueIn(event.payload.deadlineMs - event.atMs)})`,
          );
          break;
        case 'run:completed':
          line(`run ${root.runId} completed in ${formatDuration(event.atMs - root.startedMs)}`);
          break;
        case 'run:failed':
          line(`run ${root.runId} failed: ${readableError(event.payload.error.message)}`);
          break;
        case 'run:cancelled':
          line(`run ${root.runId} cancelled`);
          break;
        case 'run:left':
          line(`run ${root.runId} left to a worker: ${event.payload.reason}`);
          break;
        default:
          break;
      }
    },
    info: (text) => writeLine(io.stdout, text),
    stop() {},
  };
}
