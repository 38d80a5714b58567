export type { ResetRootPasswordOutput } from './machine.js';
export { planResetRootPassword } from './plan.js';
export { resetRootPassword } from './recipe.js';
