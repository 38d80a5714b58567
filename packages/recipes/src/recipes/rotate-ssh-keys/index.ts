export type { RotateSshKeysOutput } from './machine.js';
export type { OrderResult } from './order-keys.js';
export { planRotateSshKeys } from './plan.js';
export { rotateSshKeys } from './recipe.js';
