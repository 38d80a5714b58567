import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';

const orderRu = z.object({
  cost_month: z.number(),
  expiration_date: z.string(),
  id: z.string(),
  ipaddress_set: z.array(z.string()),
  name: z.string(),
  hostname: z.string(),
  status: z.string(),
  tariff: z.string(),
  type: z.string(),
});
const orderEn = orderRu.extend({ tariff_id: z.number().int(), tariff_price: z.number() });

/** Order endpoints. */
export const orderEndpoints = [
  defineEndpoint({
    id: 'orders.list',
    group: 'Orders',
    title: 'List of orders',
    method: 'GET',
    path: '/api/orders/list',
    pathParams: {},
    params: {},
    response: { en: z.array(orderEn), ru: z.array(orderRu) },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: 'tariff_id and tariff_price exist in the en document only',
  }),
] as const;
