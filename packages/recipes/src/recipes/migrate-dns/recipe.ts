import { defineRecipe } from '@fornex-flow/core';
import { failStep } from '../shared/fail-step.js';
import { migrateDnsInput } from './input.js';
import { migrateDnsMachine } from './machine.js';
import { backupStep, discoverStep, postCheckStep, rollbackStep, updateRecordStep } from './steps.js';

/** `migrate-dns`: moves DNS records from one value to another, checked, rolled back on failure. */
export const migrateDns = defineRecipe({
  id: 'migrate-dns',
  version: 1,
  description:
    'change DNS records from one value to another: backup, plan, apply one by one, post-check, roll back on failure',
  input: migrateDnsInput,
  machine: migrateDnsMachine,
  steps: {
    discover: discoverStep,
    backup: backupStep,
    updateRecord: updateRecordStep,
    postCheck: postCheckStep,
    rollback: rollbackStep,
    fail: failStep,
  },
});
