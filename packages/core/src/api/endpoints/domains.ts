import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';
import { nameServers, orderId } from '../params.js';

const changeNs = z.array(z.object({ ok: z.boolean() })).length(1);

/** Domain registration endpoints. */
export const domainEndpoints = [
  defineEndpoint({
    id: 'domains.changeNs',
    group: 'Domains',
    title: 'Change NS',
    method: 'POST',
    path: '/api/change_ns/{order_id}/',
    dialectPaths: { ru: '/change_ns/{order_id}/' },
    pathParams: { order_id: orderId },
    params: { nss: nameServers },
    response: { en: changeNs, ru: changeNs },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: 'answers a list [{"ok": true}]; the ru document has it at /change_ns/ without /api',
  }),
] as const;
