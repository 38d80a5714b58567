import type { HistoryEntry, RunInfo, StepInfo } from '@fornex-flow/core';
import { type CommandContext, resolveRunId } from '../command-context.js';
import { openReadOnly } from '../engine/open-read-only.js';
import { ExitCode } from '../exit-codes.js';
import { readableError } from '../output/error-text.js';
import { formatDuration, oneLine, stepNameOf } from '../output/format.js';
import { writeLine } from '../output/io.js';

/** A step with the time it took: from the history entry that scheduled it to its last row. */
export interface TimedStep extends StepInfo {
  startedMs: number | null;
}

/**
 * When each step began: the latest history entry before the one its result caused (the entry
 * that scheduled it, or its retry timer). Exact for one step at a time; for parallel steps an
 * upper bound of their time.
 */
export function timeSteps(steps: StepInfo[], history: HistoryEntry[]): TimedStep[] {
  return steps.map((step) => {
    const id = stepNameOf(step.stepKey);
    const resultAt = history.findIndex(
      (h) => h.atMs >= step.updatedMs && (h.type.endsWith(`.actor.${id}`) || h.type.startsWith('step.')),
    );
    const before = resultAt > 0 ? history[resultAt - 1] : undefined;
    return { ...step, startedMs: before ? before.atMs : null };
  });
}

const ended = (run: RunInfo) => run.status === 'completed' || run.status === 'failed' || run.status === 'cancelled';

/** `fornex-flow show <runId>`: the run, its steps (attempts, durations), its child runs and its timeline. */
export async function showCommand(ctx: CommandContext, idOrPrefix: string): Promise<number> {
  const { engine } = await openReadOnly(ctx);
  let run: RunInfo;
  let steps: TimedStep[];
  let history: HistoryEntry[];
  let children: RunInfo[];
  try {
    const runId = await resolveRunId(engine, idOrPrefix);
    run = (await engine.get(runId))!;
    history = await engine.history(runId);
    steps = timeSteps(await engine.steps(runId), history);
    children = await engine.list({ parentRunId: runId });
  } finally {
    await engine.close();
  }
  const out = (line: string) => writeLine(ctx.io.stdout, line);
  if (ctx.flags.json) {
    out(JSON.stringify({ run, steps, children, history }));
    return ExitCode.Done;
  }
  const t0 = Math.min(run.createdMs, history[0]?.atMs ?? run.createdMs);
  const at = (ms: number) => `+${((ms - t0) / 1000).toFixed(3)}s`;
  out(`run      ${run.runId}`);
  out(`recipe   ${run.recipeId}@${run.recipeVersion}`);
  out(`status   ${run.status}${ended(run) ? ` after ${formatDuration(run.updatedMs - t0)}` : ''}`);
  out(`state    ${oneLine(run.state)}`);
  out(`created  ${new Date(t0).toISOString()}`);
  if (run.parentRunId) out(`parent   ${run.parentRunId}`);
  if (!ended(run) && run.leaseOwner)
    out(`lease    ${run.leaseOwner} until ${new Date(run.leaseExpiresMs ?? 0).toISOString()}`);
  out(`input    ${oneLine(run.input)}`);
  if (run.output !== null && run.output !== undefined) out(`output   ${oneLine(run.output, 400)}`);
  if (run.error) out(`error    ${run.error.code ? `${run.error.code}: ` : ''}${readableError(run.error.message)}`);

  out('');
  out(`steps (${steps.length})`);
  const width = Math.max(4, ...steps.map((s) => s.stepKey.length));
  for (const step of steps) {
    const took = step.startedMs === null ? '-' : formatDuration(step.updatedMs - step.startedMs);
    const attempts = `${step.attempt} attempt${step.attempt === 1 ? '' : 's'}`;
    const error = step.error ? `  ${readableError(step.error.message)}` : '';
    out(
      `  ${step.stepKey.padEnd(width)}  ${step.status.padEnd(9)}  ${attempts.padEnd(10)}  ${took.padStart(8)}${error}`,
    );
  }
  if (children.length) {
    out('');
    const done = children.filter(ended).length;
    out(`child runs (${done}/${children.length} ended)`);
    for (const child of children)
      out(`  ${child.runId}  ${child.recipeId}  ${child.status}  ${formatDuration(child.updatedMs - child.createdMs)}`);
  }
  out('');
  out(`timeline (${history.length} events)`);
  for (const entry of history) {
    const payload = entry.payload === null || entry.payload === undefined ? '' : `  ${oneLine(entry.payload, 100)}`;
    out(`  ${at(entry.atMs).padStart(10)}  ${entry.type}${payload}`);
  }
  return ExitCode.Done;
}
