import { findOrder, type HandlerGroup } from './types.js';

/** domains.changeNs: answers a one-element list, as documented. */
export const domainHandlers = {
  'domains.changeNs': (ctx) => {
    const order = findOrder(ctx, ctx.params.order_id, ['domain']);
    order.nss = ctx.params.nss.map((ns) => ns.toLowerCase().replace(/\.$/, ''));
    return [{ ok: true }];
  },
} satisfies HandlerGroup<'domains'>;
