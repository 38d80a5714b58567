import cliSpinners from 'cli-spinners';
import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { ProgressHint } from '../follow/progress-hints.js';
import type { FeedEvent, Reporter } from './feed.js';
import { formatDuration } from './format.js';
import { type CliIo, writeLine } from './io.js';
import { nextTimer, RunTree, type RunView, type StepView } from './run-tree.js';

const spinner = cliSpinners.dots;
const BAR_WIDTH = 24;

function bar(label: string, done: number, total: number | null, failed = 0): string {
  const known = total ?? done;
  const filled = known === 0 ? 0 : Math.min(BAR_WIDTH, Math.round((done / known) * BAR_WIDTH));
  const text = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const failures = failed ? pc.red(` (${failed} failed)`) : '';
  return `  ${pc.cyan(label)} ${done === known ? pc.green(text) : text} ${done}/${total ?? '?'}${failures}`;
}

function stepLine(step: StepView, frame: string, now: number): string {
  const visits = step.visits > 1 ? pc.dim(` ×${step.visits}`) : '';
  const attempt = step.attempt > 1 ? pc.yellow(` attempt ${step.attempt}`) : '';
  const took = step.earlier ? 'before' : formatDuration((step.endedMs ?? now) - step.startedMs);
  const name = `${step.name}${visits}${attempt}`;
  const icon =
    step.status === 'succeeded'
      ? pc.green('✔')
      : step.status === 'failed'
        ? pc.red('✖')
        : step.status === 'retrying'
          ? pc.yellow('↻')
          : pc.cyan(frame);
  return `  ${icon} ${name} ${pc.dim(took)}`;
}

function runBlock(run: RunView, frame: string, now: number): string[] {
  const elapsed = formatDuration((run.endedMs ?? now) - run.startedMs);
  const status =
    run.status === 'completed'
      ? pc.green(run.status)
      : run.status === 'failed' || run.status === 'cancelled'
        ? pc.red(run.status)
        : pc.yellow(run.status);
  const lines = [`${pc.bold(run.recipeId)} ${pc.dim(run.runId)} ${status} ${pc.dim(elapsed)}`];
  for (const step of run.steps.values()) lines.push(stepLine(step, frame, now));
  for (const fan of run.fanOuts.values()) lines.push(bar(fan.recipeId, fan.ended.size, fan.started.size, fan.failed));
  if (run.counted) lines.push(bar(run.counted.label, run.counted.done, run.counted.total));
  const timer = run.endedMs === null ? nextTimer(run, now) : null;
  if (timer) lines.push(`  ${pc.dim('◷')} next timer: ${timer.name}, due in ${formatDuration(timer.dueMs - now)}`);
  if (run.error) lines.push(`  ${pc.red(run.error)}`);
  return lines;
}

/** On a terminal: a line per step with a spinner and its elapsed time, a bar per fan-out, redrawn in place. */
export function createLiveReporter(io: CliIo, hints: Readonly<Record<string, ProgressHint>> = {}): Reporter {
  const tree = new RunTree(hints);
  const log = createLogUpdate(io.stdout);
  let frameIndex = 0;
  const render = () => {
    const now = Date.now();
    const frame = spinner.frames[frameIndex % spinner.frames.length] ?? '-';
    log([...tree.roots.values()].flatMap((run) => runBlock(run, frame, now)).join('\n'));
  };
  const ticker = setInterval(() => {
    frameIndex += 1;
    render();
  }, spinner.interval);
  ticker.unref();

  return {
    follow(run) {
      tree.follow(run.runId, run.recipeId, run.children, run.earlier);
      render();
    },
    event(event: FeedEvent) {
      if (event.name === 'run:left') {
        const root = tree.roots.get(event.payload.runId);
        if (root) root.status = 'left to a worker';
      }
      if (tree.apply(event) || event.name === 'run:left') render();
    },
    info(line) {
      // Above the live block: clear it, print, redraw.
      log.clear();
      writeLine(io.stdout, line);
      render();
    },
    stop() {
      clearInterval(ticker);
      render();
      log.done();
    },
  };
}
