import { z } from 'zod';
import { defineEndpoint } from '../define-endpoint.js';
import { dialects } from '../dialect.js';
import { webhookUrl } from '../params.js';
import { okBoolean } from '../responses.js';

const info = z.object({
  last_error_date: z.string().nullable(),
  last_error_message: z.string().nullable(),
  url: z.string().nullable(),
});

/** Ticket webhook endpoints. */
export const ticketEndpoints = [
  defineEndpoint({
    id: 'tickets.webhookSet',
    group: 'Tickets',
    title: 'Configure webhook',
    method: 'POST',
    path: '/api/tickets/webhook_set/',
    pathParams: {},
    params: { url: webhookUrl },
    response: { en: okBoolean, ru: okBoolean },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
    quirk: 'an empty url switches webhooks off',
  }),
  defineEndpoint({
    id: 'tickets.webhookInfo',
    group: 'Tickets',
    title: 'Webhook status',
    method: 'GET',
    path: '/api/tickets/webhook_info/',
    pathParams: {},
    params: {},
    response: { en: info, ru: info },
    responseKind: 'json',
    protected: false,
    documentedIn: dialects,
  }),
] as const;
