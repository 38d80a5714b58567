/** How many deliveries may wait behind the one in flight, per tenant, unless configured. */
export const WEBHOOK_QUEUE_LIMIT = 16;

/** Runs each tenant's deliveries one at a time, in order, with at most `limit` waiting. */
export interface WebhookQueue {
  /** True when the tenant has one delivery in flight and `limit` waiting: refuse before changing anything. */
  isFull(tenantId: string): boolean;
  /** Runs `task` after the tenant's earlier ones (check `isFull` first, in the same tick). */
  run<T>(tenantId: string, task: () => Promise<T>): Promise<T>;
}

/** Creates per-tenant delivery queues. */
export function createWebhookQueue(limit: number = WEBHOOK_QUEUE_LIMIT): WebhookQueue {
  // Per tenant: the tail of its chain and how many tasks are in it (in flight + waiting).
  const lanes = new Map<string, { tail: Promise<void>; count: number }>();
  return {
    isFull: (tenantId) => (lanes.get(tenantId)?.count ?? 0) > limit,
    run(tenantId, task) {
      let lane = lanes.get(tenantId);
      if (!lane) {
        lane = { tail: Promise.resolve(), count: 0 };
        lanes.set(tenantId, lane);
      }
      const own = lane;
      own.count++;
      const result = own.tail.then(task);
      own.tail = result.then(
        () => {
          if (--own.count === 0) lanes.delete(tenantId);
        },
        () => {
          if (--own.count === 0) lanes.delete(tenantId);
        },
      );
      return result;
    },
  };
}
