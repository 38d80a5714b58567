import { params } from '@fornex-flow/core';
import { z } from 'zod';

/** Input of `reset-root-password`. */
export const resetRootPasswordInput = z
  .object({
    orderId: params.orderId.describe('The VPS order whose root password is reset, e.g. `34-177054`.'),
    pollIntervalMs: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(2_000)
      .describe('How often to ask whether the reset job completed (default 2 s).'),
    timeoutMs: z
      .number()
      .int()
      .min(1_000)
      .max(86_400_000)
      .default(600_000)
      .describe('Fail when the job has not completed this long after the reset (default 10 min).'),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.pollIntervalMs >= input.timeoutMs)
      ctx.addIssue({ code: 'custom', path: ['pollIntervalMs'], message: 'must be less than timeoutMs' });
  });

/** `reset-root-password` input after validation and defaults. */
export type ResetRootPasswordInput = z.output<typeof resetRootPasswordInput>;
