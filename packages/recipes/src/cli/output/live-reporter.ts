import cliSpinners from 'cli-spinners';
import { createLogUpdate } from 'log-update';
import pc from 'picocolors';
import type { FeedEvent, Reporter } from './feed.js';
import { formatDuration } from './format.js';
import { type CliIo, writeLine } from './io.js';
import { type FanOut, RunTree, type RunView, type StepView } from './run-tree.js';

const spinner = cliSpinners.dots;
const BAR_WIDTH = 24;

function bar(fan: FanOut): string {
  const total = fan.started.size;
  const done = fan.ended.size;
  const filled = total === 0 ? 0 : Math.round((done / total) * BAR_WIDTH);
  const text = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const failed = fan.failed ? pc.red(` (${fan.failed} failed)`) : '';
  return `  ${pc.cyan(fan.recipeId)} ${done === total ? pc.green(text) : text} ${done}/${total}${failed}`;
}

function stepLine(step: StepView, frame: string, now: number): string {
  const visits = step.visits > 1 ? pc.dim(` ×${step.visits}`) : '';
  const attempt = step.attempt > 1 ? pc.yellow(` attempt ${step.attempt}`) : '';
  const took = formatDuration((step.endedMs ?? now) - step.startedMs);
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
  for (const fan of run.fanOuts.values()) lines.push(bar(fan));
  if (run.timerDueMs !== null && run.endedMs === null)
    lines.push(`  ${pc.dim('◷')} waiting for a timer, due in ${formatDuration(Math.max(0, run.timerDueMs - now))}`);
  if (run.error) lines.push(`  ${pc.red(run.error)}`);
  return lines;
}

/** On a terminal: a line per step with a spinner and its elapsed time, a bar per fan-out, redrawn in place. */
export function createLiveReporter(io: CliIo): Reporter {
  const tree = new RunTree();
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
      tree.follow(run.runId, run.recipeId, run.children);
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
