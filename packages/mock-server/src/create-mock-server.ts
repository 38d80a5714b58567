import { Hono } from 'hono';
import { createAdminApp } from './admin/index.js';
import { fromContext, toResponse } from './server/api-exchange.js';
import { handleApiRequest } from './server/api-handler.js';
import { createFaultSet } from './server/faults/faults.js';
import { createJournal } from './server/journal.js';
import { MAX_BODY_BYTES, MAX_STATE_BYTES } from './server/read-body.js';
import { createRouter } from './server/router.js';
import type { MockRuntime } from './server/runtime.js';
import { createWebhookQueue, WEBHOOK_QUEUE_LIMIT } from './server/webhooks/webhook-queue.js';
import { createMockWorld, type MockWorld, type WorldOptions } from './world/create-world.js';

/** Options of a mock server: the world's behaviour plus transport settings. */
export interface MockServerOptions extends WorldOptions {
  /** Extra latency added to every API request, in ms (default 0). */
  latencyMs?: number;
  /** How many requests the journal keeps (default 1000). */
  journalSize?: number;
  /** Largest accepted request body (default 1 MiB). */
  maxBodyBytes?: number;
  /** Largest accepted `PUT /__mock/state` body (default 8 MiB): a world is parsed and copied whole. */
  maxStateBytes?: number;
  /** How long a webhook delivery may take (default 5000). */
  webhookTimeoutMs?: number;
  /**
   * Deliver ticket webhooks to non-loopback hosts (default false): the default world's documented
   * Slack URL must never be called from a test.
   */
  allowExternalWebhooks?: boolean;
  /** How many webhook deliveries may wait per tenant behind the one in flight (default 16); more answer 429. */
  webhookQueueLimit?: number;
}

/** A mock server not yet listening: a Hono app and the world behind it. */
export interface MockServer {
  readonly app: Hono;
  readonly world: MockWorld;
  /** The runtime parts (journal, faults), for in-process inspection. */
  readonly runtime: MockRuntime;
}

/**
 * Creates the mock as a Hono app plus its world; serve `app.fetch` anywhere.
 * @example const { app } = createMockServer({ dialect: 'ru' }); await app.request('/api/account/balance?apikey=PERSONAL_API_KEY')
 */
export function createMockServer(options: MockServerOptions = {}): MockServer {
  const runtime: MockRuntime = {
    world: createMockWorld(options),
    router: createRouter(),
    journal: createJournal(options.journalSize ?? 1000),
    faults: createFaultSet(),
    latencyMs: options.latencyMs ?? 0,
    maxBodyBytes: options.maxBodyBytes ?? MAX_BODY_BYTES,
    maxStateBytes: options.maxStateBytes ?? MAX_STATE_BYTES,
    webhookTimeoutMs: options.webhookTimeoutMs ?? 5000,
    allowExternalWebhooks: options.allowExternalWebhooks ?? false,
    webhookQueue: createWebhookQueue(options.webhookQueueLimit ?? WEBHOOK_QUEUE_LIMIT),
    self: { port: null },
    hangs: new Set(),
  };
  const app = new Hono();
  app.route('/__mock', createAdminApp(runtime));
  // Every other path: the API handler answers unknown ones itself (404 JSON), so no notFound is needed.
  app.all('*', async (c) => toResponse(await handleApiRequest(fromContext(c), runtime)));
  app.onError((error, c) => {
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      return c.json({ error: error.message }, status as 400);
    }
    // A bug in the mock: say so plainly, without a stack trace.
    console.error(`fornex-mock: internal error on ${c.req.method} ${c.req.path}: ${error.message}`);
    return c.json({ error: 'internal mock error' }, 500);
  });
  return { app, world: runtime.world, runtime };
}
