/** Recipes arrive with the engine; this package exists so the workspace layout is stable. */
export const recipes: readonly string[] = [];
