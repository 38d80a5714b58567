import type { Recipe } from '@fornex-flow/core';
import { safeReboot } from './safe-reboot/index.js';

/** Every recipe this package ships, in the order `fornex-flow recipes` lists them. */
export const recipes: readonly Recipe[] = [safeReboot];
