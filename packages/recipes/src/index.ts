/** @fornex-flow/recipes: the recipes, the test kit and the `fornex-flow` CLI. */
export * from './recipes/index.js';
export * from './test-kit/index.js';
