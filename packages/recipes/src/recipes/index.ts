import type { Recipe } from '@fornex-flow/core';
import { migrateDns, planMigrateDns } from './migrate-dns/index.js';
import { planResetRootPassword, resetRootPassword } from './reset-root-password/index.js';
import { planRotateSshKeys, rotateSshKeys } from './rotate-ssh-keys/index.js';
import { planSafeReboot, safeReboot } from './safe-reboot/index.js';
import type { PlanFunction } from './shared/plan.js';

/** Every recipe this package ships, in the order `fornex-flow recipes` lists them. */
export const recipes: readonly Recipe[] = [rotateSshKeys, resetRootPassword, migrateDns, safeReboot];

/** Each recipe's dry run (`--dry-run`), by recipe id: reads the world, returns the plan, changes nothing. */
export const recipePlans: Readonly<Record<string, PlanFunction>> = Object.freeze({
  [rotateSshKeys.id]: planRotateSshKeys,
  [resetRootPassword.id]: planResetRootPassword,
  [migrateDns.id]: planMigrateDns,
  [safeReboot.id]: planSafeReboot,
});

export type { ChangedRecord, MigrateDnsOutput } from './migrate-dns/index.js';
export { migrateDns, planMigrateDns } from './migrate-dns/index.js';
export type { ResetRootPasswordOutput } from './reset-root-password/index.js';
export { planResetRootPassword, resetRootPassword } from './reset-root-password/index.js';
export type { OrderResult, RotateSshKeysOutput } from './rotate-ssh-keys/index.js';
export { planRotateSshKeys, rotateSshKeys } from './rotate-ssh-keys/index.js';
export type { SafeRebootOutput } from './safe-reboot/index.js';
export { planSafeReboot, safeReboot } from './safe-reboot/index.js';
export { RecipeFailure } from './shared/fail-step.js';
export { type PlanFunction, type PlannedAction, parseRecipeInput, type RecipePlan } from './shared/plan.js';
