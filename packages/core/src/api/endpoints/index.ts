import { accountEndpoints } from './account.js';
import { dnsEndpoints } from './dns.js';
import { domainEndpoints } from './domains.js';
import { dsEndpoints } from './ds.js';
import { orderEndpoints } from './orders.js';
import { planEndpoints } from './plans.js';
import { sshKeyEndpoints } from './ssh-keys.js';
import { ticketEndpoints } from './tickets.js';
import { vpnEndpoints } from './vpn.js';
import { vpsEndpoints } from './vps.js';

/** The whole documented API: one entry per endpoint, in the English document's order. */
export const endpoints = [
  ...accountEndpoints,
  ...orderEndpoints,
  ...planEndpoints,
  ...vpsEndpoints,
  ...sshKeyEndpoints,
  ...dsEndpoints,
  ...ticketEndpoints,
  ...vpnEndpoints,
  ...dnsEndpoints,
  ...domainEndpoints,
] as const;

/** Every endpoint id, e.g. `vps.restart`. */
export type EndpointId = (typeof endpoints)[number]['id'];

/** The definition of one endpoint, by id. */
export type EndpointOf<Id extends EndpointId> = Extract<(typeof endpoints)[number], { id: Id }>;

const byId = new Map<string, (typeof endpoints)[number]>(endpoints.map((endpoint) => [endpoint.id, endpoint]));

/** Looks up an endpoint by id; throws on an unknown id. */
export function getEndpoint<Id extends EndpointId>(id: Id): EndpointOf<Id> {
  const endpoint = byId.get(id);
  if (!endpoint) throw new Error(`unknown endpoint id: ${String(id)}`);
  return endpoint as EndpointOf<Id>;
}

/** True when `id` names an endpoint of the contract. */
export function isEndpointId(id: unknown): id is EndpointId {
  return typeof id === 'string' && byId.has(id);
}
