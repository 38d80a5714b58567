export type { ChangedRecord, MigrateDnsOutput } from './machine.js';
export { planMigrateDns } from './plan.js';
export { migrateDns } from './recipe.js';
