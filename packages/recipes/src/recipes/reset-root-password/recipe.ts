import { defineRecipe } from '@fornex-flow/core';
import { failStep } from '../shared/fail-step.js';
import { resetRootPasswordInput } from './input.js';
import { resetRootPasswordMachine } from './machine.js';
import { jobStatusStep, resetPasswordStep } from './steps.js';

/** `reset-root-password`: a new root password for a VPS, delivered once, confirmed by its job. */
export const resetRootPassword = defineRecipe({
  id: 'reset-root-password',
  version: 1,
  description: 'reset the root password of a VPS, wait for the job to complete, deliver the password once',
  input: resetRootPasswordInput,
  machine: resetRootPasswordMachine,
  steps: { resetPassword: resetPasswordStep, jobStatus: jobStatusStep, fail: failStep },
});
