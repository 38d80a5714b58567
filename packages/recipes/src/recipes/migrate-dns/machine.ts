import { stepActor } from '@fornex-flow/core';
import { assign, setup } from 'xstate';
import { causeOf, describeError, type FailInput, type FailureCause, failedState } from '../shared/fail-step.js';
import type { MigrateDnsInput } from './input.js';
import { type DomainBackup, type PlannedChange, recordLabel } from './records.js';
import type { BackupOutput, PostCheckOutput, RollbackOutput, SearchInput } from './steps.js';

/** The run's state: the backups and the plan live here, so a resumed run rolls back to the same backup. */
export interface MigrateDnsContext {
  search: SearchInput;
  domains: string[];
  backups: DomainBackup[];
  changes: PlannedChange[];
  /** Changes applied so far (the first `applied` of `changes`). */
  applied: number;
  /** How many of `changes` a rollback restores (the applied ones and the one that failed in flight). */
  toRollBack: number;
  reason: string | null;
  /** The API request behind `reason`, if one was (a refused or failed update). */
  cause: FailureCause;
  rollback: RollbackOutput | null;
  failure: FailInput | null;
}

/** One change the run made, as its output reports it. */
export interface ChangedRecord {
  domain: string;
  id: number;
  host: string;
  type: string;
  from: string;
  to: string;
}

/** What a completed `migrate-dns` run returns. */
export interface MigrateDnsOutput {
  domains: string[];
  changed: ChangedRecord[];
}

function rollbackFailure(context: MigrateDnsContext, rollback: RollbackOutput): FailInput {
  const restored = rollback.restored.length ? rollback.restored.join('; ') : 'nothing to restore';
  const failed = rollback.failed.length ? `; COULD NOT RESTORE: ${rollback.failed.join('; ')}` : '';
  return {
    code: rollback.failed.length ? 'ROLLBACK_INCOMPLETE' : 'ROLLED_BACK',
    message: `migrate-dns rolled back: ${context.reason ?? 'unknown reason'}; restored: ${restored}${failed}`,
    ...context.cause,
  };
}

/**
 * discover -> backup (records and zone files into the run) and plan -> apply the changes one by
 * one -> post-check; a failed update or post-check rolls every applied change back and fails the
 * run with the report of what was restored.
 */
export const migrateDnsMachine = setup({
  types: {
    input: {} as MigrateDnsInput,
    context: {} as MigrateDnsContext,
    output: {} as MigrateDnsOutput,
  },
  actors: {
    discover: stepActor<string[], SearchInput>(),
    backup: stepActor<BackupOutput, SearchInput & { domains: string[] }>(),
    updateRecord: stepActor<{ id: number }, PlannedChange>(),
    postCheck: stepActor<PostCheckOutput, BackupOutput>(),
    rollback: stepActor<RollbackOutput, PlannedChange[]>(),
    fail: stepActor<never, FailInput>(),
  },
}).createMachine({
  id: 'migrate-dns',
  context: ({ input }) => ({
    search: {
      fromValue: input.fromValue,
      toValue: input.toValue,
      domains: input.domains ?? null,
      types: input.types,
    },
    domains: [],
    backups: [],
    changes: [],
    applied: 0,
    toRollBack: 0,
    reason: null,
    cause: {},
    rollback: null,
    failure: null,
  }),
  initial: 'discovering',
  states: {
    discovering: {
      invoke: {
        id: 'discover',
        src: 'discover',
        input: ({ context }) => context.search,
        onDone: { target: 'backingUp', actions: assign({ domains: ({ event }) => event.output }) },
        onError: {
          target: 'failed',
          actions: assign({
            failure: ({ event }) => ({
              code: 'DISCOVERY_FAILED',
              message: `migrate-dns could not list the domains (nothing was changed): ${describeError(event.error)}`,
              ...causeOf(event.error),
            }),
          }),
        },
      },
    },
    backingUp: {
      invoke: {
        id: 'backup',
        src: 'backup',
        input: ({ context }) => ({ ...context.search, domains: context.domains }),
        onDone: {
          target: 'applying',
          actions: assign({
            backups: ({ event }) => event.output.backups,
            changes: ({ event }) => event.output.changes,
          }),
        },
        onError: {
          target: 'failed',
          actions: assign({
            failure: ({ event }) => ({
              code: 'BACKUP_FAILED',
              message: `migrate-dns could not back up the domains (nothing was changed): ${describeError(event.error)}`,
              ...causeOf(event.error),
            }),
          }),
        },
      },
    },
    applying: {
      always: [{ guard: ({ context }) => context.applied >= context.changes.length, target: 'checking' }, 'updating'],
    },
    updating: {
      invoke: {
        id: 'updateRecord',
        src: 'updateRecord',
        input: ({ context }) => context.changes[context.applied] as PlannedChange,
        onDone: { target: 'applying', actions: assign({ applied: ({ context }) => context.applied + 1 }) },
        onError: {
          target: 'rollingBack',
          actions: assign({
            // The failed update may have taken effect: restore it too (a PUT of the old value is harmless).
            toRollBack: ({ context }) => context.applied + 1,
            reason: ({ context, event }) => {
              const change = context.changes[context.applied] as PlannedChange;
              return `updating ${recordLabel(change.domain, change.record)} failed: ${describeError(event.error)}`;
            },
            cause: ({ event }) => causeOf(event.error),
          }),
        },
      },
    },
    checking: {
      invoke: {
        id: 'postCheck',
        src: 'postCheck',
        input: ({ context }) => ({ backups: context.backups, changes: context.changes }),
        onDone: [
          { guard: ({ event }) => event.output.problems.length === 0, target: 'done' },
          {
            target: 'rollingBack',
            actions: assign({
              toRollBack: ({ context }) => context.changes.length,
              reason: ({ event }) => `the post-check failed: ${event.output.problems.join('; ')}`,
            }),
          },
        ],
        onError: {
          target: 'rollingBack',
          actions: assign({
            toRollBack: ({ context }) => context.changes.length,
            reason: ({ event }) => `the post-check could not read the result: ${describeError(event.error)}`,
            cause: ({ event }) => causeOf(event.error),
          }),
        },
      },
    },
    rollingBack: {
      invoke: {
        id: 'rollback',
        src: 'rollback',
        input: ({ context }) => context.changes.slice(0, context.toRollBack),
        onDone: {
          target: 'failed',
          actions: assign({
            rollback: ({ event }) => event.output,
            failure: ({ context, event }) => rollbackFailure(context, event.output),
          }),
        },
        onError: {
          target: 'failed',
          actions: assign({
            failure: ({ context, event }) => ({
              code: 'ROLLBACK_INCOMPLETE',
              message: `migrate-dns could not roll back (${context.reason}): ${describeError(event.error)}; the backup is in the run's context`,
              ...context.cause,
            }),
          }),
        },
      },
    },
    failed: failedState('migrate-dns'),
    done: { type: 'final' },
  },
  output: ({ context }) => ({
    domains: context.domains,
    changed: context.changes.map((c) => ({
      domain: c.domain,
      id: c.record.id,
      host: c.record.host,
      type: c.record.type,
      from: c.from,
      to: c.to,
    })),
  }),
});
