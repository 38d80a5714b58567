import type { Recipe } from '@fornex-flow/core';

/** Every recipe this package ships, in the order `fornex-flow recipes` lists them. */
export const recipes: readonly Recipe[] = [];
