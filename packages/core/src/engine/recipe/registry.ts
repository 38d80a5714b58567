import { EngineError, EngineErrorCode } from '../errors.js';
import type { Recipe } from './define-recipe.js';

/** The recipes an engine knows, by id and by exact version (old versions stay to finish old runs). */
export interface RecipeRegistry {
  add(recipe: Recipe): void;
  /** The version new runs use: the last one registered. */
  latest(recipeId: string): Recipe;
  /** The version a stored run was started with; RECIPE_VERSION_NOT_REGISTERED when it is gone. */
  exact(recipeId: string, version: string, runId: string): Recipe;
}

/** Creates an empty registry. */
export function createRegistry(): RecipeRegistry {
  const byKey = new Map<string, Recipe>();
  const latest = new Map<string, Recipe>();
  return {
    add(recipe) {
      if (typeof recipe?.key !== 'string' || !recipe.machine) {
        throw new EngineError(EngineErrorCode.InvalidRecipe, 'register() takes recipes made by defineRecipe()');
      }
      const known = byKey.get(recipe.key);
      if (known && known !== recipe)
        throw new EngineError(EngineErrorCode.InvalidRecipe, `recipe ${recipe.key} is already registered`);
      byKey.set(recipe.key, recipe);
      latest.set(recipe.id, recipe);
    },
    latest(recipeId) {
      const recipe = latest.get(recipeId);
      if (!recipe) {
        const known = [...latest.keys()].join(', ') || 'none';
        throw new EngineError(EngineErrorCode.UnknownRecipe, `unknown recipe "${recipeId}" (registered: ${known})`);
      }
      return recipe;
    },
    exact(recipeId, version, runId) {
      const recipe = byKey.get(`${recipeId}@${version}`);
      if (recipe) return recipe;
      const others = [...byKey.values()].filter((r) => r.id === recipeId).map((r) => r.version);
      const registered =
        others.length > 0 ? `registered versions: ${others.join(', ')}` : 'the recipe is not registered at all';
      throw new EngineError(
        EngineErrorCode.RecipeVersionNotRegistered,
        `run ${runId} was started with ${recipeId} version ${version}, which is not registered (${registered}); register that version to resume it`,
        { runId },
      );
    },
  };
}
