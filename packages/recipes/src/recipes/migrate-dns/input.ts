import { params } from '@fornex-flow/core';
import { z } from 'zod';

/** Input of `migrate-dns`. */
export const migrateDnsInput = z
  .object({
    fromValue: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(4096)
      .describe("The value records hold now, e.g. the old server's IP `192.0.2.1`."),
    toValue: z
      .string()
      .trim()
      .min(1, 'is required')
      .max(4096)
      .describe("The value they should hold, e.g. the new server's IP `192.0.2.2`."),
    domains: z
      .array(params.domainName)
      .min(1)
      .max(1000)
      .optional()
      .describe('The domains to look at (default: every domain `domain_list` finds for `fromValue`).'),
    types: z.array(params.recordType).min(1).default(['A']).describe('The record types to change (default `["A"]`).'),
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
