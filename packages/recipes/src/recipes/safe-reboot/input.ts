import { params } from '@fornex-flow/core';
import { z } from 'zod';

/** Input of `safe-reboot`. */
export const safeRebootInput = z
  .object({
    orderId: params.orderId.describe('The VPS order to reboot, e.g. `34-177054`.'),
    timeoutMs: z
      .number()
      .int()
      .min(1_000)
      .max(86_400_000)
      .default(300_000)
      .describe('Give up (fail) when the server is not back `on` this long after the restart (default 5 min).'),
    pollIntervalMs: z
      .number()
      .int()
      .min(100)
      .max(3_600_000)
      .default(5_000)
      .describe('How often to ask for the power status (default 5 s).'),
    hardResetAfterMs: z
      .number()
      .int()
      .min(0)
      .optional()
      .describe('Hard-reset the server when it is not back this long after the restart (default: half the timeout).'),
  })
  .strict()
  .superRefine((input, ctx) => {
    if (input.hardResetAfterMs !== undefined && input.hardResetAfterMs >= input.timeoutMs)
      ctx.addIssue({ code: 'custom', path: ['hardResetAfterMs'], message: 'must be less than timeoutMs' });
    if (input.pollIntervalMs >= input.timeoutMs)
      ctx.addIssue({ code: 'custom', path: ['pollIntervalMs'], message: 'must be less than timeoutMs' });
  });

/** `safe-reboot` input after validation and defaults. */
export type SafeRebootInput = z.output<typeof safeRebootInput>;

/** The hard-reset delay the run uses: the given one, or half the timeout. */
export function hardResetDelayMs(input: SafeRebootInput): number {
  return input.hardResetAfterMs ?? Math.floor(input.timeoutMs / 2);
}
