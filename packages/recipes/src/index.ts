/** @fornex-flow/recipes: the recipes, the test kit and the `fornex-flow` CLI. */
export { recipes } from './recipes/index.js';
