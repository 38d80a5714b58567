import { pyFloat } from '../py-json/index.js';
import type { HandlerGroup } from './types.js';

/** account.* handlers. */
export const accountHandlers = {
  'account.balance': ({ tenant }) => ({ balance: pyFloat(tenant.account.balance), currency: tenant.account.currency }),
  'account.info': ({ tenant }) => ({ email: tenant.account.email, name: tenant.account.name }),
  'account.invoices': ({ tenant }) => ({
    unpaid_invoices_count: tenant.account.unpaid_invoices_count,
    unpaid_invoices_amount: tenant.account.unpaid_invoices_amount,
    currency: tenant.account.currency,
  }),
} satisfies HandlerGroup<'account'>;
