import type { RunInfo, RunStatus } from '@fornex-flow/core';
import { usageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { openReadOnly } from '../engine/open-read-only.js';
import { ExitCode } from '../exit-codes.js';
import { formatDuration, oneLine } from '../output/format.js';
import { writeLine } from '../output/io.js';

const statuses = ['running', 'waiting', 'completed', 'failed', 'cancelled'];

/** Flags of `fornex-flow runs`. */
export interface RunsFlags {
  status?: string;
  children?: boolean;
}

/** `fornex-flow runs [--status S]`: the stored runs, newest first (child runs folded into a count). */
export async function runsCommand(ctx: CommandContext, flags: RunsFlags): Promise<number> {
  if (flags.status && !statuses.includes(flags.status))
    throw usageError(`--status must be one of ${statuses.join(', ')}`);
  const opened = await openReadOnly(ctx);
  let runs: RunInfo[];
  let all: RunInfo[];
  try {
    all = await opened.engine.list();
    runs = flags.status ? await opened.engine.list({ status: flags.status as RunStatus }) : all;
  } finally {
    await opened.engine.close();
  }
  const childCount = new Map<string, number>();
  for (const run of all)
    if (run.parentRunId) childCount.set(run.parentRunId, (childCount.get(run.parentRunId) ?? 0) + 1);
  const shown = runs.filter((run) => flags.children || !run.parentRunId).sort((a, b) => b.createdMs - a.createdMs);
  const out = (line: string) => writeLine(ctx.io.stdout, line);
  if (ctx.flags.json) {
    for (const run of shown) out(JSON.stringify({ ...run, children: childCount.get(run.runId) ?? 0 }));
    return ExitCode.Done;
  }
  if (shown.length === 0) {
    out(flags.status ? `no ${flags.status} runs` : 'no runs');
    return ExitCode.Done;
  }
  const rows = shown.map((run) => [
    run.runId,
    `${run.recipeId}@${run.recipeVersion}`,
    run.status,
    new Date(run.createdMs).toISOString().replace('T', ' ').slice(0, 19),
    formatDuration(run.updatedMs - run.createdMs),
    String(childCount.get(run.runId) ?? ''),
    oneLine(run.state, 40),
  ]);
  const header = ['RUN', 'RECIPE', 'STATUS', 'CREATED (UTC)', 'TOOK', 'CHILDREN', 'STATE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  for (const row of [header, ...rows])
    out(
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    );
  return ExitCode.Done;
}
