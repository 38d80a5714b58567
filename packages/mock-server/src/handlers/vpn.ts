import { renderVpnConfig } from '../render/vpn-config.js';
import { findOrder, type HandlerGroup, textReply } from './types.js';

/** vpn.config: an OpenVPN profile as text. */
export const vpnHandlers = {
  'vpn.config': (ctx) => {
    const order = findOrder(ctx, ctx.params.order, ['vpn']);
    const { proto } = ctx.params;
    return textReply(renderVpnConfig(order, proto), 'application/x-openvpn-profile', `config-${proto}.ovpn`);
  },
} satisfies HandlerGroup<'vpn'>;
