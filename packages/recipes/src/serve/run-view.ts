import type { Engine, HistoryEntry, Recipe, RunInfo, RunStatus } from '@fornex-flow/core';
import { type TimedStep, timeSteps } from '../cli/commands/show.js';
import type { CliRecipe } from '../cli/input/recipe-source.js';
import { httpError } from './http-error.js';

/** How a secret value shows in every answer and page. */
export const MASK = '••••••';

/** One run as the list shows it. */
export interface RunSummary {
  runId: string;
  recipeId: string;
  recipeVersion: string;
  parentRunId: string | null;
  status: RunStatus;
  state: unknown;
  createdMs: number;
  updatedMs: number;
  /** Until it ended, or until now while it is active. */
  durationMs: number;
  error: string | null;
}

/** A run with all the page shows: masked input/output, steps with their times, history, children. */
export interface RunDetail {
  run: RunInfo;
  steps: (TimedStep & { durationMs: number | null })[];
  history: HistoryEntry[];
  children: RunSummary[];
}

const statuses = ['running', 'waiting', 'completed', 'failed', 'cancelled'] as const;
const ended = (status: RunStatus) => status === 'completed' || status === 'failed' || status === 'cancelled';

/** Replaces the recipe's secret input fields (whatever the store holds for them) by the mask. */
export function maskSecrets(value: unknown, recipe: Recipe | undefined): unknown {
  const secret = recipe?.secretInput ?? [];
  if (secret.length === 0 || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const copy: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const field of secret) if (field in copy) copy[field] = MASK;
  return copy;
}

/** The summary of a run. */
export function summarize(run: RunInfo, nowMs: number): RunSummary {
  return {
    runId: run.runId,
    recipeId: run.recipeId,
    recipeVersion: run.recipeVersion,
    parentRunId: run.parentRunId,
    status: run.status,
    state: run.state,
    createdMs: run.createdMs,
    updatedMs: run.updatedMs,
    durationMs: (ended(run.status) ? run.updatedMs : nowMs) - run.createdMs,
    error: run.error?.message ?? null,
  };
}

/** Filters of the runs list, from query parameters (a bad one is a 400). */
export interface RunFilter {
  status?: RunStatus;
  recipe?: string;
  children: boolean;
  limit: number;
}

/** Reads the list filters from a query. */
export function parseRunFilter(query: Record<string, string | undefined>): RunFilter {
  const { status, recipe, children, limit } = query;
  if (status !== undefined && status !== '' && !(statuses as readonly string[]).includes(status))
    throw httpError(400, 'BAD_FILTER', `status must be one of ${statuses.join(', ')}`);
  const max = limit === undefined || limit === '' ? 200 : Number(limit);
  if (!Number.isInteger(max) || max < 1 || max > 5000)
    throw httpError(400, 'BAD_FILTER', 'limit must be an integer from 1 to 5000');
  return {
    ...(status ? { status: status as RunStatus } : {}),
    ...(recipe ? { recipe } : {}),
    children: children === '1' || children === 'true',
    limit: max,
  };
}

/** Whether a run passes the filter. */
export function matchesFilter(run: RunSummary, filter: RunFilter): boolean {
  if (filter.status && run.status !== filter.status) return false;
  if (filter.recipe && run.recipeId !== filter.recipe) return false;
  return filter.children || run.parentRunId === null;
}

/** Runs newest first, filtered. */
export async function listRuns(engine: Engine, filter: RunFilter, nowMs: number): Promise<RunSummary[]> {
  return (await engine.list(filter.status ? { status: filter.status } : undefined))
    .map((run) => summarize(run, nowMs))
    .filter((run) => matchesFilter(run, filter))
    .sort((a, b) => b.createdMs - a.createdMs)
    .slice(0, filter.limit);
}

/** The recipe a run was made by (its exact version when still offered). */
export function recipeOfRun(recipes: readonly CliRecipe[], run: RunInfo): Recipe | undefined {
  const same = recipes.filter((r) => r.recipe.id === run.recipeId);
  return (same.find((r) => r.recipe.version === run.recipeVersion) ?? same.at(-1))?.recipe;
}

/** Everything about one run, secrets masked; a 404 when there is no such run. */
export async function runDetail(
  engine: Engine,
  recipes: readonly CliRecipe[],
  runId: string,
  nowMs: number,
): Promise<RunDetail> {
  const run = await engine.get(runId);
  if (!run) throw httpError(404, 'RUN_NOT_FOUND', `no run ${runId}`);
  const recipe = recipeOfRun(recipes, run);
  const history = await engine.history(runId);
  const steps = timeSteps(await engine.steps(runId), history).map((step) => ({
    ...step,
    input: maskSecrets(step.input, recipe),
    output: maskSecrets(step.output, recipe),
    durationMs: step.startedMs === null ? null : step.updatedMs - step.startedMs,
  }));
  return {
    run: { ...run, input: maskSecrets(run.input, recipe), output: maskSecrets(run.output, recipe) },
    steps,
    history,
    children: (await engine.list({ parentRunId: runId })).map((child) => summarize(child, nowMs)),
  };
}
