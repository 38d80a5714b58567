import type { Domain } from '../world/types.js';

const DEFAULT_TTL = 3600;

function owner(host: string): string {
  return host === '' || host === '@' ? '@' : host;
}

function rdata(type: string, value: string): string {
  if (type === 'TXT' || type === 'SPF') return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  if ((type === 'CNAME' || type === 'NS' || type === 'MX' || type === 'SRV') && !value.endsWith('.')) {
    // Host names in the zone are absolute; the API takes them without the final dot.
    return /[a-z]/i.test(value.split(' ').pop() ?? '') ? `${value}.` : value;
  }
  return value;
}

/** Renders a domain as a BIND zone file; the SOA serial is the domain's, bumped on every change. */
export function renderZoneFile(domain: Domain): string {
  const lines = [
    '$TTL 21600',
    '@\tIN\tSOA\tns1.fornex.com. hostmaster.fornex.com. (',
    `\t\t\t${domain.serial}\t; serial`,
    '\t\t\t10800\t\t; refresh',
    '\t\t\t3600\t\t; retry',
    '\t\t\t604800\t\t; expire',
    '\t\t\t21600 )\t\t; minimum',
    '@\tIN\tNS\tns1.fornex.com.',
    '@\tIN\tNS\tns2.fornex.com.',
  ];
  for (const record of domain.records) {
    const prio = record.prio !== null && (record.type === 'MX' || record.type === 'SRV') ? `${record.prio} ` : '';
    lines.push(
      `${owner(record.host)}\t${record.ttl ?? DEFAULT_TTL}\tIN\t${record.type}\t${prio}${rdata(record.type, record.value)}`,
    );
  }
  return `${lines.join('\n')}\n`;
}
