import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';

const balance = z.object({ balance: z.number(), currency: z.string() });
const info = z.object({ email: z.string(), name: z.string() });
const invoices = z.object({
  unpaid_invoices_count: z.number().int(),
  unpaid_invoices_amount: z.number(),
  currency: z.string(),
});

/** Account endpoints. */
export const accountEndpoints = [
  defineEndpoint({
    id: 'account.balance',
    group: 'Account',
    title: 'Balance',
    method: 'GET',
    path: '/api/account/balance',
    pathParams: {},
    params: {},
    response: { en: balance, ru: balance },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: 'balance is a float and stays one on the wire (91.0)',
  }),
  defineEndpoint({
    id: 'account.info',
    group: 'Account',
    title: 'Info',
    method: 'GET',
    path: '/api/account/info',
    pathParams: {},
    params: {},
    response: { en: info, ru: info },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
  defineEndpoint({
    id: 'account.invoices',
    group: 'Account',
    title: 'Invoices',
    method: 'GET',
    path: '/api/account/invoices',
    pathParams: {},
    params: {},
    response: { en: invoices, ru: invoices },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
] as const;
