import { domainRecords, keysAndOrders, type TenantState } from './mock-reads.js';

/** How a permanent fault (403, malformed reply) on a recipe's first effect must end its run. */
export interface PermanentOutcome {
  /** The RecipeFailure code of the run. */
  code: string;
  /** Effects that must have reached the mock (e.g. a rollback's restore), per endpoint id. */
  effects: Record<string, number>;
  /** Steps that must never have started after the fault. */
  notStarted: string[];
}

/** One recipe under the fault suite: its input, the part of the world it changes, and its permanent outcomes. */
export interface FaultCase {
  id: string;
  input: Record<string, unknown>;
  /** The part of the personal tenant the recipe changes, compared with that of one clean run. */
  state(tenant: TenantState): unknown;
  /** Endpoint id of the recipe's first effect: where the permanent faults are injected. */
  firstEffect: string;
  forbidden: PermanentOutcome;
  malformed: PermanentOutcome;
  /**
   * Requests where a fault that leaves the effect in doubt (a hang, a dropped connection) ends the
   * run by design instead of being retried: reset-root-password's `passwd_reset` cannot be asked
   * whether it happened (see docs/recipes.md).
   */
  inDoubtFails?: { endpointId: string; code: string };
  /** Input changes for the real-clock world (shorter polls). */
  realClockInput?: Record<string, unknown>;
}

/** The four recipes, on the mock's default world. */
export const faultCases: FaultCase[] = [
  {
    id: 'rotate-ssh-keys',
    input: {
      title: 'faults',
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFaultsKey faults@host',
      replaceKeyId: 67,
      orders: 'all',
      concurrency: 2,
    },
    state: keysAndOrders,
    firstEffect: 'sshKeys.add',
    forbidden: { code: 'ADD_KEY_FAILED', effects: {}, notStarted: ['rotateBatch', 'deleteReplaced'] },
    malformed: { code: 'ADD_KEY_FAILED', effects: {}, notStarted: ['rotateBatch', 'deleteReplaced'] },
  },
  {
    id: 'reset-root-password',
    input: { orderId: '34-177054', pollIntervalMs: 1_000, timeoutMs: 60_000 },
    state: (tenant) => tenant.jobs.map((job) => ({ id: job.id, orderId: job.orderId })),
    firstEffect: 'vps.passwdReset',
    forbidden: { code: 'RESET_FAILED', effects: {}, notStarted: ['jobStatus'] },
    malformed: { code: 'RESET_FAILED', effects: {}, notStarted: ['jobStatus'] },
    inDoubtFails: { endpointId: 'vps.passwdReset', code: 'RESET_FAILED' },
  },
  {
    id: 'migrate-dns',
    // example.com's @ and www A records: two updates.
    input: { fromValue: '127.0.0.1', toValue: '192.0.2.7' },
    state: domainRecords,
    firstEffect: 'dns.updateRecord',
    // A permanent refusal also refuses the rollback's restore of that record (which never changed).
    forbidden: { code: 'ROLLBACK_INCOMPLETE', effects: {}, notStarted: ['postCheck'] },
    // A one-off bad reply: the rollback puts the record back (a write of its old value).
    malformed: { code: 'ROLLED_BACK', effects: { 'dns.updateRecord': 1 }, notStarted: ['postCheck'] },
  },
  {
    id: 'safe-reboot',
    input: { orderId: '34-177054', timeoutMs: 120_000, pollIntervalMs: 1_000 },
    state: (tenant) => tenant.orders.find((order) => order.id === '34-177054')?.power,
    realClockInput: { pollIntervalMs: 200 },
    firstEffect: 'vps.restart',
    forbidden: { code: 'RESTART_REFUSED', effects: {}, notStarted: ['status', 'hardReset'] },
    malformed: { code: 'RESTART_REFUSED', effects: {}, notStarted: ['status', 'hardReset'] },
  },
];
