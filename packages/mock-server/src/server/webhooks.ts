import type { Dialect } from '@fornex-flow/core';
import { isoDateTime } from '../render/dates.js';
import type { MockWorld } from '../world/create-world.js';
import type { Tenant } from '../world/types.js';

/** What happened to one webhook delivery. */
export interface DeliveryResult {
  readonly delivered: boolean;
  readonly url: string | null;
  readonly status?: number;
  readonly error?: string;
  readonly text: string;
}

/** The default comment text, as the documentation words it. */
export function defaultCommentText(ticketId: number, dialect: Dialect): string {
  return dialect === 'ru'
    ? `К тикету #${ticketId} добавлен новый комментарий...`
    : `New comment added to the ticket #${ticketId}...`;
}

/**
 * POSTs `{"text": ...}` as JSON to the tenant's webhook, as the real service does on a new ticket
 * comment. A failure (connection error, timeout, non-2xx) is written to webhook_info.
 */
export async function deliverWebhook(
  world: MockWorld,
  tenant: Tenant,
  text: string,
  timeoutMs: number,
): Promise<DeliveryResult> {
  const url = tenant.webhook.url;
  if (!url) return { delivered: false, url, error: 'no webhook is configured', text };
  let failure: string;
  let status: number | undefined;
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    status = response.status;
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { delivered: true, url, status, text };
    failure = `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const name = (error as Error).name;
    failure =
      name === 'TimeoutError'
        ? `timed out after ${timeoutMs} ms`
        : (cause?.code ?? cause?.message ?? (error as Error).message ?? 'delivery failed');
  }
  tenant.webhook.last_error_message = failure;
  tenant.webhook.last_error_date = isoDateTime(world.clock.now());
  return { delivered: false, url, ...(status !== undefined ? { status } : {}), error: failure, text };
}
