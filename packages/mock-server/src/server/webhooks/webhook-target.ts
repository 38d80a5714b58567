import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { networkInterfaces } from 'node:os';

/** Where a webhook may go: the URL's host resolved once, and the address it will connect to. */
export type WebhookTarget =
  | { readonly ok: true; readonly address: string; readonly family: 4 | 6; readonly url: URL }
  | { readonly ok: false; readonly reason: string };

/** What the check needs to know about the mock and its policy. */
export interface TargetPolicy {
  /** Deliver to hosts other than loopback ones. */
  readonly allowExternal: boolean;
  /** The port this mock listens on (null when it is not listening itself, e.g. `app.request`). */
  readonly selfPort: number | null;
}

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

// Addresses that reach a listener on this machine whatever it is bound to: loopback, and the
// "this host" ranges a connect() turns into a local address (0.0.0.0, ::).
const thisHost = new BlockList();
thisHost.addSubnet('127.0.0.0', 8, 'ipv4');
thisHost.addSubnet('0.0.0.0', 8, 'ipv4');
thisHost.addAddress('::1', 'ipv6');
thisHost.addAddress('::', 'ipv6');

const LOOPBACK_ONLY = '; the mock only calls loopback hosts (start it with --allow-external-webhooks)';

function familyOf(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** True when `address` is one of this machine's own: loopback, unspecified, or an interface's. */
function isThisMachine(address: string): boolean {
  if (thisHost.check(address, familyOf(address))) return true;
  const own = new BlockList();
  for (const list of Object.values(networkInterfaces())) {
    for (const nic of list ?? [])
      own.addAddress(nic.address.replace(/%.*$/, ''), nic.family === 'IPv6' ? 'ipv6' : 'ipv4');
  }
  return own.check(address.replace(/%.*$/, ''), familyOf(address));
}

function portOf(url: URL): number {
  if (url.port) return Number(url.port);
  return url.protocol === 'https:' ? 443 : 80;
}

/**
 * Resolves a webhook URL's host and checks every address it resolves to: a hostile tenant must not
 * be able to point its webhook at the mock's own API (its admin API resets every tenant), under
 * any spelling (`localhost`, `0.0.0.0`, `[::ffff:127.0.0.1]`, `2130706433`, a name that resolves
 * there). The caller connects to the returned address, so a name cannot resolve differently later.
 */
export async function resolveWebhookTarget(raw: string, policy: TargetPolicy): Promise<WebhookTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'not a valid URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'not an http(s) URL' };
  const host = url.hostname.replace(/^\[|\]$/g, '');
  let addresses: { address: string; family: number }[];
  try {
    addresses = isIP(host)
      ? [{ address: host, family: isIP(host) }]
      : await lookup(host, { all: true, verbatim: true });
  } catch (error) {
    const code = (error as { code?: string }).code ?? 'lookup failed';
    return {
      ok: false,
      reason: `not delivered: cannot resolve ${host} (${code})${policy.allowExternal ? '' : LOOPBACK_ONLY}`,
    };
  }
  if (addresses.length === 0) return { ok: false, reason: `not delivered: cannot resolve ${host}` };
  const port = portOf(url);
  for (const { address } of addresses) {
    if (policy.selfPort === port && isThisMachine(address))
      return { ok: false, reason: 'not delivered: the webhook points at the mock itself' };
    if (!policy.allowExternal && !loopback.check(address, familyOf(address)))
      return { ok: false, reason: `not delivered${LOOPBACK_ONLY}` };
  }
  const first = addresses[0] as { address: string; family: number };
  return { ok: true, address: first.address, family: first.family === 6 ? 6 : 4, url };
}
