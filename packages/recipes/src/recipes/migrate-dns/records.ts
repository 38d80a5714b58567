import type { FornexClient } from '@fornex-flow/core';

/** A DNS record as backed up: what `entry_set.json` answered (no `ttl` in the ru dialect). */
export interface RecordSnapshot {
  id: number;
  host: string;
  type: string;
  value: string;
  ttl?: number | null;
  prio: number | null;
}

/** One domain's backup: its records and its zone file, as they were before the run changed anything. */
export interface DomainBackup {
  domain: string;
  records: RecordSnapshot[];
  zoneFile: string;
}

/** One planned change: a record (by id) from one value to another. */
export interface PlannedChange {
  domain: string;
  record: RecordSnapshot;
  from: string;
  to: string;
}

/** Values compare without case (host names, IPv6) except where case is data (TXT, SPF). */
export function sameValue(type: string, a: string, b: string): boolean {
  return type === 'TXT' || type === 'SPF' ? a === b : a.toLowerCase() === b.toLowerCase();
}

/** A domain's records now. */
export async function readRecords(client: FornexClient, domain: string, signal: AbortSignal | undefined) {
  const { entry_set } = await client.dns.records.list(domain, {}, { signal });
  return entry_set.map(
    (r): RecordSnapshot => ({
      id: r.id,
      host: r.host,
      type: r.type,
      value: r.value,
      prio: r.prio,
      ...('ttl' in r ? { ttl: r.ttl ?? null } : {}),
    }),
  );
}

/** Sets a record's value (or back to its backup), keeping host, type, TTL and priority: a PUT by id. */
export async function writeRecord(
  client: FornexClient,
  domain: string,
  record: RecordSnapshot,
  value: string,
  signal: AbortSignal | undefined,
): Promise<void> {
  await client.dns.records.update(
    domain,
    record.id,
    {
      host: record.host === '' ? '@' : record.host,
      type: record.type as 'A',
      value,
      ...(record.ttl ? { ttl: record.ttl as 600 } : {}),
      ...(record.prio !== null ? { prio: record.prio } : {}),
    },
    { signal },
  );
}

/** A short name of a record for reports: `example.com #12344 (@ A)`. */
export function recordLabel(domain: string, record: RecordSnapshot): string {
  return `${domain} #${record.id} (${record.host || '@'} ${record.type})`;
}

/** Whether the zone file has a line for `host`/`type` whose data ends with `value`. */
export function zoneHas(zoneFile: string, host: string, type: string, value: string): boolean {
  const owner = host === '' ? '@' : host;
  const norm = (text: string) => {
    const bare = text.replace(/^"|"$/g, '').replace(/\.$/, '');
    return type === 'TXT' || type === 'SPF' ? bare : bare.toLowerCase();
  };
  return zoneFile.split('\n').some((line) => {
    const tokens = line.trim().split(/\s+/);
    const at = tokens.indexOf('IN');
    if (at < 0 || tokens[0] !== owner || tokens[at + 1] !== type) return false;
    return norm(tokens.slice(at + 2).join(' ')).endsWith(norm(value));
  });
}
