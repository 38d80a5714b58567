import { params } from '@fornex-flow/core';
import { z } from 'zod';

/** Input of `migrate-dns`. */
export const migrateDnsInput = z
  .object({
    /** The value records hold now, e.g. the old server's IP `192.0.2.1`. */
    fromValue: z.string().trim().min(1, 'is required').max(4096),
    /** The value they should hold, e.g. the new server's IP `192.0.2.2`. */
    toValue: z.string().trim().min(1, 'is required').max(4096),
    /** The domains to look at (default: every domain `domain_list` finds for `fromValue`). */
    domains: z.array(params.domainName).min(1).max(1000).optional(),
    /** The record types to change (default `["A"]`). */
    types: z.array(params.recordType).min(1).default(['A']),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.fromValue.toLowerCase() === input.toValue.toLowerCase())
      ctx.addIssue({ code: 'custom', path: ['toValue'], message: 'must differ from fromValue' });
    if (input.domains && new Set(input.domains).size !== input.domains.length)
      ctx.addIssue({ code: 'custom', path: ['domains'], message: 'must not name a domain twice' });
  });

/** `migrate-dns` input after validation and defaults. */
export type MigrateDnsInput = z.output<typeof migrateDnsInput>;
