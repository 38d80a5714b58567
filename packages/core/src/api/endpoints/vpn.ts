import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';
import { orderId } from '../params.js';
import { textBody } from '../responses.js';

/** VPN endpoints. */
export const vpnEndpoints = [
  defineEndpoint({
    id: 'vpn.config',
    group: 'VPN',
    title: 'Download config',
    method: 'GET',
    path: '/api/vpn/{order}/config-{proto}.ovpn',
    pathParams: { order: orderId, proto: z.enum(['tcp', 'udp']) },
    params: {},
    response: { en: textBody, ru: textBody },
    responseKind: 'text',
    protected: false,
    documentedIn: dialects,
    quirk: 'answers an OpenVPN config as text, not JSON',
  }),
] as const;
