import { defineRecipe } from '@fornex-flow/core';
import { failStep } from '../shared/fail-step.js';
import { rotateSshKeysInput } from './input.js';
import { rotateSshKeysMachine } from './machine.js';
import { addKeyStep, deleteReplacedStep, inspectStep, rotateBatchStep } from './steps.js';

/** `rotate-ssh-keys`: a new SSH key on the account and on every targeted order, the replaced one removed safely. */
export const rotateSshKeys = defineRecipe({
  id: 'rotate-ssh-keys',
  version: 1,
  description: 'put a new SSH key on the account and every targeted order, verify it, then remove the key it replaces',
  input: rotateSshKeysInput,
  machine: rotateSshKeysMachine,
  steps: {
    inspect: inspectStep,
    addKey: addKeyStep,
    rotateBatch: rotateBatchStep,
    deleteReplaced: deleteReplacedStep,
    fail: failStep,
  },
});
