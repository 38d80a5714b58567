import type { HandlerGroup } from './types.js';

/** tickets.* handlers: the webhook settings (delivery is in webhooks.ts, driven by the admin API). */
export const ticketHandlers = {
  'tickets.webhookSet': ({ tenant, params }) => {
    tenant.webhook = { url: params.url === '' ? null : params.url, last_error_message: null, last_error_date: null };
    return { ok: true };
  },
  'tickets.webhookInfo': ({ tenant }) => ({
    last_error_date: tenant.webhook.last_error_date,
    last_error_message: tenant.webhook.last_error_message,
    url: tenant.webhook.url,
  }),
} satisfies HandlerGroup<'tickets'>;
