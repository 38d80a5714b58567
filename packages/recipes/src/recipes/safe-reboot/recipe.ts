import { defineRecipe } from '@fornex-flow/core';
import { failStep } from '../shared/fail-step.js';
import { safeRebootInput } from './input.js';
import { safeRebootMachine } from './machine.js';
import { hardResetStep, restartStep, statusStep } from './steps.js';

/** `safe-reboot`: restart a VPS and make sure it comes back, hard-resetting it if needed. */
export const safeReboot = defineRecipe({
  id: 'safe-reboot',
  version: 1,
  description: 'restart a VPS, poll until it is back on, hard-reset it if it is not back in time',
  input: safeRebootInput,
  machine: safeRebootMachine,
  steps: { restart: restartStep, hardReset: hardResetStep, status: statusStep, fail: failStep },
});
