import { EngineError, EngineErrorCode, type FornexClient } from '@fornex-flow/core';
import type { z } from 'zod';

/** One change a recipe would make, as `--dry-run` shows it. */
export interface PlannedAction {
  /** What would be done, e.g. `add key to order`, `update record`, `restart`. */
  action: string;
  /** What it would be done to: an order id, a domain and record, the account. */
  target: string;
  /** Anything else worth knowing (values before and after, delays). */
  detail?: string;
}

/** What a recipe would do with an input, read from the world without changing it. */
export interface RecipePlan {
  recipeId: string;
  /** The input after validation and defaults. */
  input: unknown;
  /** One line saying what the run would do. */
  summary: string;
  /** The changes, in the order the run would make them. */
  actions: PlannedAction[];
  /** What the operator should know before running (nothing to do, a key kept...). */
  warnings: string[];
}

/** A recipe's dry run: reads what it needs through `client` and returns the plan; changes nothing. */
export type PlanFunction = (
  client: FornexClient,
  input: unknown,
  options?: { signal?: AbortSignal },
) => Promise<RecipePlan>;

/**
 * Validates `input` with the recipe's schema, as `engine.start` does: an INVALID_INPUT EngineError
 * naming every bad field, before anything is read or changed.
 */
export function parseRecipeInput<S extends z.ZodType>(recipe: { key: string; input: S }, input: unknown): z.output<S> {
  const parsed = recipe.input.safeParse(input);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(input)'}: ${issue.message}`);
  throw new EngineError(EngineErrorCode.InvalidInput, `invalid input for ${recipe.key}: ${issues.join('; ')}`, {
    details: parsed.error.issues,
  });
}
