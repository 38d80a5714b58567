import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { MockWorld } from '../world/create-world.js';
import type { FaultSet } from './faults/faults.js';
import type { Journal } from './journal.js';
import type { Router } from './router.js';
import type { WebhookQueue } from './webhooks/webhook-queue.js';

/** Everything one mock server instance holds besides its Hono app. */
export interface MockRuntime {
  readonly world: MockWorld;
  readonly router: Router;
  readonly journal: Journal;
  readonly faults: FaultSet;
  readonly latencyMs: number;
  readonly maxBodyBytes: number;
  /** Largest `PUT /__mock/state` body. */
  readonly maxStateBytes: number;
  readonly webhookTimeoutMs: number;
  /** Deliver webhooks to hosts other than loopback ones (off by default: tests stay local). */
  readonly allowExternalWebhooks: boolean;
  /** Each tenant's webhook deliveries, one at a time, with a capped queue. */
  readonly webhookQueue: WebhookQueue;
  /** Where this mock listens, once it does: webhooks must never come back to it. */
  readonly self: { port: number | null };
  /** Releases requests held by a `hang` fault (on close). */
  readonly hangs: Set<() => void>;
}

/** Resolves after `ms`; a zero delay resolves at once. */
export function sleep(ms: number): Promise<void> {
  return ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve();
}

/** Node's request behind a Hono context, when served by @hono/node-server. */
export function nodeRequest(c: Context): IncomingMessage | undefined {
  return (c.env as { incoming?: IncomingMessage } | undefined)?.incoming;
}
