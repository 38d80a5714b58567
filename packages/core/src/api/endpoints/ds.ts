import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';
import { nonNegativeInt, orderId } from '../params.js';

const dsQuirk = 'the URL carries the whole order id: /api/ds/34-1234/... (documented as 34-[order_id])';

const traffic = z.object({
  data: z.array(z.tuple([z.string(), z.object({ input: z.number(), output: z.number() })])),
  order: z.string(),
  period: z.string(),
});
const trafficUsed = z.object({
  limit: z.number(),
  order: z.string(),
  range_end: z.string(),
  range_start: z.string(),
  used: z.number(),
  used_rate: z.number(),
});

/** Dedicated server endpoints. */
export const dsEndpoints = [
  defineEndpoint({
    id: 'ds.traffic',
    group: 'Dedicated servers',
    title: 'Traffic',
    method: 'GET',
    path: '/api/ds/{order_id}/traffic.json',
    pathParams: { order_id: orderId },
    params: { period: z.enum(['month', 'year']).optional(), port: nonNegativeInt.optional() },
    response: { en: traffic, ru: traffic },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: dsQuirk,
  }),
  defineEndpoint({
    id: 'ds.trafficUsed',
    group: 'Dedicated servers',
    title: 'Traffic limits',
    method: 'GET',
    path: '/api/ds/{order_id}/traffic_used.json',
    pathParams: { order_id: orderId },
    params: {},
    response: { en: trafficUsed, ru: trafficUsed },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: dsQuirk,
  }),
] as const;
