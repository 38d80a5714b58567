import type { EndpointId } from '@fornex-flow/core';
import { accountHandlers } from './account.js';
import { dnsHandlers } from './dns.js';
import { domainHandlers } from './domains.js';
import { dsHandlers } from './ds.js';
import { orderHandlers } from './orders.js';
import { planHandlers } from './plans.js';
import { sshKeyHandlers } from './ssh-keys.js';
import { ticketHandlers } from './tickets.js';
import type { HandlerContext, HandlerMap } from './types.js';
import { vpnHandlers } from './vpn.js';
import { vpsHandlers } from './vps.js';

/** One handler per endpoint of the contract; the type fails to compile if one is missing. */
const handlers: HandlerMap = {
  ...accountHandlers,
  ...orderHandlers,
  ...planHandlers,
  ...vpsHandlers,
  ...sshKeyHandlers,
  ...dsHandlers,
  ...ticketHandlers,
  ...vpnHandlers,
  ...dnsHandlers,
  ...domainHandlers,
};

export { ApiFailure, isTextReply, type ParamsOf } from './types.js';

/** Runs the handler of endpoint `id` (indexing the map with a generic id keeps the pairing typed). */
export function runHandler<Id extends EndpointId>(id: Id, ctx: HandlerContext<Id>): unknown {
  return handlers[id](ctx);
}
