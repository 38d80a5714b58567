import type { Dialect } from '@fornex-flow/core';
import { isoDateTime } from '../../render/dates.js';
import type { MockWorld } from '../../world/create-world.js';
import type { Tenant } from '../../world/types.js';
import { postJson } from './webhook-post.js';
import { resolveWebhookTarget, type TargetPolicy } from './webhook-target.js';

/** What happened to one webhook delivery. */
export interface DeliveryResult {
  readonly delivered: boolean;
  readonly url: string | null;
  readonly status?: number;
  readonly error?: string;
  readonly text: string;
}

/** How deliveries go out. */
export interface DeliveryOptions extends TargetPolicy {
  readonly timeoutMs: number;
}

/** The default comment text, as the documentation words it. */
export function defaultCommentText(ticketId: number, dialect: Dialect): string {
  return dialect === 'ru'
    ? `К тикету #${ticketId} добавлен новый комментарий...`
    : `New comment added to the ticket #${ticketId}...`;
}

/**
 * POSTs `{"text": ...}` as JSON to the tenant's webhook, as the real service does on a new ticket
 * comment. A failure (refused host, connection error, timeout, non-2xx) is written to webhook_info.
 * The host is resolved and checked first (see webhook-target.ts): never the mock itself, and only
 * loopback addresses unless `allowExternal`.
 */
export async function deliverWebhook(
  world: MockWorld,
  tenant: Tenant,
  text: string,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const url = tenant.webhook.url;
  if (!url) return { delivered: false, url, error: 'no webhook is configured', text };
  const target = await resolveWebhookTarget(url, options);
  const { failure, status } = target.ok
    ? await postJson({ ...target, body: JSON.stringify({ text }), timeoutMs: options.timeoutMs })
    : { failure: target.reason, status: undefined };
  if (failure === null) return { delivered: true, url, ...(status !== undefined ? { status } : {}), text };
  tenant.webhook.last_error_message = failure;
  tenant.webhook.last_error_date = isoDateTime(world.clock.now());
  return { delivered: false, url, ...(status !== undefined ? { status } : {}), error: failure, text };
}
