import type { Dialect } from '@fornex-flow/core';
import { isoDateTime } from '../render/dates.js';
import type { MockWorld } from '../world/create-world.js';
import type { Tenant } from '../world/types.js';

/** What happened to one webhook delivery. */
interface DeliveryResult {
  readonly delivered: boolean;
  readonly url: string | null;
  readonly status?: number;
  readonly error?: string;
  readonly text: string;
}

/** How deliveries go out. */
interface DeliveryOptions {
  readonly timeoutMs: number;
  /** Deliver to hosts other than loopback ones. */
  readonly allowExternal: boolean;
}

/** The default comment text, as the documentation words it. */
export function defaultCommentText(ticketId: number, dialect: Dialect): string {
  return dialect === 'ru'
    ? `К тикету #${ticketId} добавлен новый комментарий...`
    : `New comment added to the ticket #${ticketId}...`;
}

/** True for URLs on this machine: localhost, 127.0.0.0/8, ::1. */
function isLoopback(url: string): boolean {
  let host: string;
  try {
    host = new URL(url).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return false;
  }
  return host === 'localhost' || host.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(host) || host === '::1';
}

/** POSTs the JSON body; answers null on a 2xx, else why it failed, plus the status if any. */
async function post(
  url: string,
  text: string,
  timeoutMs: number,
): Promise<{ failure: string | null; status?: number }> {
  try {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.timeout(timeoutMs),
      redirect: 'manual',
    });
    await response.arrayBuffer().catch(() => undefined);
    if (response.ok) return { failure: null, status: response.status };
    return {
      failure: `HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`,
      status: response.status,
    };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if ((error as Error).name === 'TimeoutError') return { failure: `timed out after ${timeoutMs} ms` };
    return { failure: cause?.code ?? cause?.message ?? (error as Error).message ?? 'delivery failed' };
  }
}

/**
 * POSTs `{"text": ...}` as JSON to the tenant's webhook, as the real service does on a new ticket
 * comment. A failure (refused host, connection error, timeout, non-2xx) is written to webhook_info.
 * Only loopback hosts are called unless `allowExternal`: the default world's documented Slack URL
 * must never be called from a test.
 */
export async function deliverWebhook(
  world: MockWorld,
  tenant: Tenant,
  text: string,
  options: DeliveryOptions,
): Promise<DeliveryResult> {
  const url = tenant.webhook.url;
  if (!url) return { delivered: false, url, error: 'no webhook is configured', text };
  const { failure, status } =
    options.allowExternal || isLoopback(url)
      ? await post(url, text, options.timeoutMs)
      : { failure: 'not delivered: the mock only calls loopback hosts (start it with --allow-external-webhooks)' };
  if (failure === null) return { delivered: true, url, ...(status !== undefined ? { status } : {}), text };
  tenant.webhook.last_error_message = failure;
  tenant.webhook.last_error_date = isoDateTime(world.clock.now());
  return { delivered: false, url, ...(status !== undefined ? { status } : {}), error: failure, text };
}
