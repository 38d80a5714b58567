export type { SafeRebootOutput } from './machine.js';
export { planSafeReboot } from './plan.js';
export { safeReboot } from './recipe.js';
