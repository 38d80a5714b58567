import { domainRecords, keysAndOrders, type TenantState } from './mock-reads.js';

/** One recipe under the crash suite: its input and what of the world it changes. */
export interface CrashCase {
  id: string;
  input: Record<string, unknown>;
  /** The part of the personal tenant the recipe changes, compared with that of one clean run. */
  state(tenant: TenantState): unknown;
  /** Kill moments are counted from this line of the first process on (see reset-root-password). */
  armAfter?: (line: string) => boolean;
}

/** The four recipes with inputs that make several steps and real waits against the crash world's mock. */
export const crashCases: CrashCase[] = [
  {
    id: 'rotate-ssh-keys',
    input: {
      title: 'proof',
      publicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIProofKey proof@host',
      replaceKeyId: 67,
      orders: 'all',
      concurrency: 1,
    },
    state: keysAndOrders,
  },
  {
    id: 'migrate-dns',
    // The MX record of each of the 5 scaled domains: 5 updates.
    input: { fromValue: 'mx.example.net', toValue: 'mx2.example.net', types: ['MX'] },
    // Records only: a zone's serial and `updated` count writes, and an update by id may rightly repeat.
    state: domainRecords,
  },
  {
    id: 'safe-reboot',
    // The timeouts are wall time and the kills add up to a minute or more (a resumed step in doubt
    // waits out the dead process's deadline): 10 minutes leaves room, so a run fails only by a defect.
    input: { orderId: '34-177054', timeoutMs: 600_000, pollIntervalMs: 100 },
    state: (tenant) => tenant.orders.find((order) => order.id === '34-177054')?.power,
  },
  {
    id: 'reset-root-password',
    input: { orderId: '34-177054', pollIntervalMs: 100, timeoutMs: 600_000 },
    state: (tenant) => tenant.jobs.map((job) => ({ orderId: job.orderId })),
    // A reset cut off in flight ends the run (RESET_FAILED, by design: it cannot be reconciled); the
    // random kills start once the reset is recorded, so they land in the polls and the resumes.
    armAfter: (line) => line.includes('"event":"step:succeeded"') && line.includes('"step":"resetPassword"'),
  },
];
