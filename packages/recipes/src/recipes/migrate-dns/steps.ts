import { defineStep, type FornexClient } from '@fornex-flow/core';
import { describeError } from '../shared/fail-step.js';
import { isTransientFailure, transientAttempts, transientRetry } from '../shared/retry.js';
import {
  type DomainBackup,
  type PlannedChange,
  readRecords,
  recordLabel,
  sameValue,
  writeRecord,
  zoneHas,
} from './records.js';

/** What the run looks for. */
export interface SearchInput {
  fromValue: string;
  toValue: string;
  domains: string[] | null;
  types: string[];
}

/** The domains to look at: the given ones, or those `domain_list` `q=fromValue` finds with a record to change. */
export async function findDomains(client: FornexClient, input: SearchInput, signal?: AbortSignal): Promise<string[]> {
  if (input.domains) return input.domains;
  const found = await client.dns.domainList({ q: input.fromValue }, { signal });
  // q also matches domain names and other types: keep the domains with a record to change.
  return found
    .filter((d) => d.entry_set.some((r) => input.types.includes(r.type) && sameValue(r.type, r.value, input.fromValue)))
    .map((d) => d.name);
}

/** `discover`: the domains to look at. A read. */
export const discoverStep = defineStep<SearchInput, string[], FornexClient>({
  idempotent: true,
  retry: transientRetry,
  run: ({ input, client, signal }) => findDomains(client, input, signal),
});

/** Output of `backup`: every domain's records and zone file, and the changes to make. */
export interface BackupOutput {
  backups: DomainBackup[];
  changes: PlannedChange[];
}

/** Reads the backups and the plan: shared by the `backup` step and the dry run. */
export async function backupAndPlan(
  client: FornexClient,
  input: SearchInput & { domains: string[] },
  signal?: AbortSignal,
): Promise<BackupOutput> {
  const backups: DomainBackup[] = [];
  const changes: PlannedChange[] = [];
  for (const domain of input.domains) {
    const records = await readRecords(client, domain, signal);
    const zoneFile = await client.dns.zoneFile(domain, { signal });
    backups.push({ domain, records, zoneFile });
    for (const record of records) {
      if (input.types.includes(record.type) && sameValue(record.type, record.value, input.fromValue))
        changes.push({ domain, record, from: record.value, to: input.toValue });
    }
  }
  return { backups, changes };
}

/** `backup`: each domain's records and zone file into the run, and the plan. A read. */
export const backupStep = defineStep<SearchInput & { domains: string[] }, BackupOutput, FornexClient>({
  idempotent: true,
  retry: transientRetry,
  run: ({ input, client, signal }) => backupAndPlan(client, input, signal),
});

/** `updateRecord`: sets one record's value by its id, a PUT-like update: idempotent. */
export const updateRecordStep = defineStep<PlannedChange, { id: number }, FornexClient>({
  idempotent: true,
  retry: transientRetry,
  run: async ({ input, client, signal }) => {
    await writeRecord(client, input.domain, input.record, input.to, signal);
    return { id: input.record.id };
  },
});

/** Output of `postCheck`: what did not match the plan (empty when everything did). */
export interface PostCheckOutput {
  problems: string[];
}

/** `postCheck`: every planned record holds the new value, nothing else changed, the zone file agrees. A read. */
export const postCheckStep = defineStep<BackupOutput, PostCheckOutput, FornexClient>({
  idempotent: true,
  retry: transientRetry,
  run: async ({ input, client, signal }) => {
    const problems: string[] = [];
    for (const backup of input.backups) {
      const planned = new Map(input.changes.filter((c) => c.domain === backup.domain).map((c) => [c.record.id, c]));
      const now = new Map((await readRecords(client, backup.domain, signal)).map((r) => [r.id, r]));
      for (const before of backup.records) {
        const after = now.get(before.id);
        const label = recordLabel(backup.domain, before);
        const change = planned.get(before.id);
        const want = change ? change.to : before.value;
        if (!after) problems.push(`${label} disappeared`);
        else if (after.host !== before.host || after.type !== before.type || !sameValue(after.type, after.value, want))
          problems.push(`${label} holds ${after.host || '@'} ${after.type} ${after.value}, expected ${want}`);
        else if (!change && (after.prio !== before.prio || ('ttl' in before && after.ttl !== before.ttl)))
          problems.push(`${label} changed its TTL or priority`);
      }
      for (const after of now.values())
        if (!backup.records.some((r) => r.id === after.id))
          problems.push(`${recordLabel(backup.domain, after)} ${after.value} appeared during the run`);
      const zoneFile = await client.dns.zoneFile(backup.domain, { signal });
      for (const change of planned.values()) {
        if (!zoneHas(zoneFile, change.record.host, change.record.type, change.to))
          problems.push(
            `the zone file of ${backup.domain} has no ${change.record.host || '@'} ${change.record.type} ${change.to}`,
          );
      }
    }
    return { problems };
  },
});

/** Output of `rollback`: the records put back, and any that could not be. */
export interface RollbackOutput {
  restored: string[];
  failed: string[];
}

/**
 * `rollback`: puts every applied record back to its backed-up value, by id (PUT-like: idempotent),
 * then reads each domain to confirm. One failed restore does not stop the others. When a restore
 * failed transiently (a 5xx, a dropped connection, a timeout), the whole step is tried again after
 * the others, as any transient failure is; the last attempt reports what it could not restore.
 */
export const rollbackStep = defineStep<PlannedChange[], RollbackOutput, FornexClient>({
  idempotent: true,
  retry: transientRetry,
  run: async ({ input, client, signal, attempt }) => {
    const restored: string[] = [];
    const failed: string[] = [];
    let transient: unknown;
    for (const change of input) {
      const label = `${recordLabel(change.domain, change.record)} back to ${change.from}`;
      try {
        await writeRecord(client, change.domain, change.record, change.from, signal);
        const now = (await readRecords(client, change.domain, signal)).find((r) => r.id === change.record.id);
        if (now && sameValue(now.type, now.value, change.from)) restored.push(label);
        else failed.push(`${label}: it reads ${now ? now.value : 'missing'} after the restore`);
      } catch (error) {
        failed.push(`${label}: ${describeError(error)}`);
        if (transient === undefined && isTransientFailure(error)) transient = error;
      }
    }
    if (transient !== undefined && attempt < transientAttempts) throw transient;
    return { restored, failed };
  },
});
