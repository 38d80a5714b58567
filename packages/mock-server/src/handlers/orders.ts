import { pyFloat } from '../py-json/index.js';
import type { HandlerGroup } from './types.js';

/** orders.list: the en document adds tariff_id and tariff_price. */
export const orderHandlers = {
  'orders.list': ({ tenant, dialect }) =>
    tenant.orders.map((order) => ({
      cost_month: pyFloat(order.cost_month),
      expiration_date: order.expiration_date,
      id: order.id,
      ipaddress_set: order.ipaddress_set,
      name: order.name,
      hostname: order.hostname,
      status: order.status,
      tariff: order.tariff,
      ...(dialect === 'en' ? { tariff_id: order.tariff_id, tariff_price: order.tariff_price } : {}),
      type: order.type,
    })),
} satisfies HandlerGroup<'orders'>;
