import { pyFloat } from '../py-json/index.js';
import { DAY_MS, moscowDay } from '../render/dates.js';
import { createRandom, hashString } from '../render/random.js';
import type { Order } from '../world/types.js';
import { ApiFailure, findOrder, type HandlerGroup, type RequestContext } from './types.js';

const PORTS = 2;
const LIMIT_BYTES = 14293651161088;

// Dedicated-server orders, plus any order that carries documented DS samples (the examples use
// 34-1234, which orders.list documents as a VPS: each example is honoured on its own endpoint).
function dsOrder(ctx: RequestContext, orderId: string): Order {
  const order = findOrder(ctx, orderId);
  if (order.type !== 'dedicated' && !order.samples.traffic && !order.samples.trafficUsed) {
    throw new ApiFailure('wrongOrderType', { id: order.id });
  }
  return order;
}

function label(order: Order): string {
  return `${order.id} ${order.tariff} (${order.hostname})`;
}

function dayTraffic(order: Order, port: number, day: string, days: number) {
  const random = createRandom(hashString(`${order.id}|${port}|${day}`));
  return {
    input: pyFloat((3e10 + random() * 2e10) * days),
    output: pyFloat((8e11 + random() * 3e11) * days),
  };
}

/** ds.* handlers: documented samples verbatim, generated data for everything else. */
export const dsHandlers = {
  'ds.traffic': (ctx) => {
    const order = dsOrder(ctx, ctx.params.order_id);
    const { period = 'month', port = 0 } = ctx.params;
    if (port >= PORTS) throw new ApiFailure('unknownPort', { port });
    const sample = order.samples.traffic?.find((s) => s.period === period && s.port === port);
    if (sample) {
      const data = sample.data.map(([day, t]) => [day, { input: pyFloat(t.input), output: pyFloat(t.output) }]);
      return { data, order: sample.order, period };
    }
    const data = [];
    if (period === 'month') {
      for (let i = 29; i >= 0; i--) {
        const day = moscowDay(ctx.now - i * DAY_MS);
        data.push([day, dayTraffic(order, port, day, 1)]);
      }
    } else {
      const today = new Date(moscowDay(ctx.now));
      for (let i = 11; i >= 0; i--) {
        const first = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - i, 1));
        const day = first.toISOString().slice(0, 10);
        data.push([day, dayTraffic(order, port, day, 30)]);
      }
    }
    return { data, order: label(order), period };
  },
  'ds.trafficUsed': (ctx) => {
    const order = dsOrder(ctx, ctx.params.order_id);
    const sample = order.samples.trafficUsed;
    if (sample) {
      const floats = ['limit', 'used', 'used_rate'];
      return Object.fromEntries(
        Object.entries(sample).map(([k, v]) => [k, floats.includes(k) && typeof v === 'number' ? pyFloat(v) : v]),
      );
    }
    const end = moscowDay(ctx.now);
    const startDate = new Date(`${end}T00:00:00Z`);
    startDate.setUTCMonth(startDate.getUTCMonth() - 1);
    const random = createRandom(hashString(`${order.id}|used|${end}`));
    const used = LIMIT_BYTES * (0.1 + 0.5 * random());
    return {
      limit: pyFloat(LIMIT_BYTES),
      order: label(order),
      range_end: end,
      range_start: startDate.toISOString().slice(0, 10),
      used: pyFloat(used),
      used_rate: pyFloat(used / LIMIT_BYTES),
    };
  },
} satisfies HandlerGroup<'ds'>;
