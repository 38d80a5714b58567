import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { FornexClient, Recipe } from '@fornex-flow/core';
import { usageError } from '../cli-error.js';
import { type ProgressHint, shippedProgressHints } from '../follow/progress-hints.js';

/**
 * A recipe's dry run: reads what it needs through the client, changes nothing, returns its plan
 * (a `{ summary, actions, warnings }` plan is shown as a list; anything else as JSON).
 */
export type PlanFunction = (client: FornexClient, input: unknown) => Promise<unknown>;

/** What a recipe module exports: `recipes`, and optionally their dry runs by recipe id (`recipePlans`). */
export interface RecipeModule {
  recipes: readonly Recipe[];
  recipePlans?: Readonly<Record<string, PlanFunction>>;
  /** Bars for fan-outs inside a recipe's own steps, by recipe id. */
  recipeProgress?: Readonly<Record<string, ProgressHint>>;
}

/** Loads the recipes the CLI offers; the bin passes this package's list, tests and users may add their own. */
export type RecipeLoader = () => Promise<RecipeModule>;

/** One recipe as the CLI offers it. */
export interface CliRecipe {
  recipe: Recipe;
  plan?: PlanFunction;
  progress?: ProgressHint;
}

function planOf(recipe: Recipe, plans: RecipeModule['recipePlans']): PlanFunction | undefined {
  const plan = plans?.[recipe.id];
  return typeof plan === 'function' ? plan : undefined;
}

async function importModule(specifier: string): Promise<RecipeModule> {
  // A path (relative, absolute, or a file that exists) is imported as a file; anything else as a package.
  const isPath = /^[./]|^[A-Za-z]:[\\/]/.test(specifier) || existsSync(specifier);
  const url = isPath ? pathToFileURL(resolve(specifier)).href : specifier;
  let loaded: Partial<RecipeModule>;
  try {
    loaded = (await import(url)) as Partial<RecipeModule>;
  } catch (error) {
    throw usageError(`cannot load recipes from ${specifier}: ${(error as Error).message}`);
  }
  if (!Array.isArray(loaded.recipes)) throw usageError(`${specifier} exports no \`recipes\` array`);
  return {
    recipes: loaded.recipes,
    recipePlans: loaded.recipePlans ?? {},
    recipeProgress: loaded.recipeProgress ?? {},
  };
}

/**
 * Every recipe on offer: the built-in ones, then those of each module named by --recipes or
 * FORNEX_FLOW_RECIPES (comma-separated paths or package names). A later module's recipe of the
 * same id and version replaces an earlier one.
 */
export async function loadRecipes(
  builtIn: RecipeLoader,
  extra: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<CliRecipe[]> {
  const specifiers = [
    ...(env.FORNEX_FLOW_RECIPES ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    ...extra,
  ];
  const modules = [await builtIn(), ...(await Promise.all(specifiers.map(importModule)))];
  const byKey = new Map<string, CliRecipe>();
  for (const module of modules) {
    for (const recipe of module.recipes) {
      const plan = planOf(recipe, module.recipePlans);
      const progress = module.recipeProgress?.[recipe.id] ?? shippedProgressHints[recipe.id];
      byKey.set(recipe.key, { recipe, ...(plan ? { plan } : {}), ...(progress ? { progress } : {}) });
    }
  }
  return [...byKey.values()];
}

/** The newest version of a recipe, or a usage error listing what exists. */
export function findRecipe(recipes: readonly CliRecipe[], id: string): CliRecipe {
  const found = recipes.filter((r) => r.recipe.id === id).at(-1);
  if (found) return found;
  const known = [...new Set(recipes.map((r) => r.recipe.id))];
  throw usageError(
    `unknown recipe "${id}"${known.length ? ` (recipes: ${known.join(', ')})` : ' (no recipes are installed)'}`,
  );
}

/** The progress hints of these recipes, by recipe id (for the reporters' bars). */
export function progressHintsOf(recipes: readonly CliRecipe[]): Record<string, ProgressHint> {
  const hints: Record<string, ProgressHint> = {};
  for (const { recipe, progress } of recipes) if (progress) hints[recipe.id] = progress;
  return hints;
}
