import { defineStep, type FornexClient } from '@fornex-flow/core';
import { refusedOnlyRetry } from '../shared/retry.js';

/** Input of the reset step: the order. */
export interface ResetInput {
  orderId: string;
}

/** Output of the reset step: the new password (a secret) and the job to poll, if the API named one. */
export interface ResetOutput {
  password: string;
  /** The `resp_id` of the en dialect; null where the API gives none (the ru dialect). */
  jobId: number | null;
}

/**
 * `resetPassword`: `passwd_reset`, a GET with a side effect. Not idempotent (a second call sets
 * another password), and nothing in the API tells whether an interrupted call took effect: no
 * reconcile, so an interrupted reset surfaces as STEP_IN_DOUBT and the machine fails the run
 * clearly instead of resetting twice. Its output is a secret: delivered once to the caller
 * (`step:succeeded`, `run.result()`), stored redacted. Retried only when the service answered that
 * it did not take the call (503, 429); any other failure may have reset the password already.
 */
export const resetPasswordStep = defineStep<ResetInput, ResetOutput, FornexClient>({
  secretOutput: true,
  retry: refusedOnlyRetry,
  run: async ({ input, client, signal }) => {
    const answer = await client.vps.passwdReset(input.orderId, { signal });
    return { password: answer.passwd, jobId: answer.resp_id ?? null };
  },
});

/** Input of the job poll. */
export interface JobInput {
  orderId: string;
  jobId: number;
}

/** `jobStatus`: `log_details` of the reset job, a read (idempotent). */
export const jobStatusStep = defineStep<JobInput, { completed: boolean; jobState: string }, FornexClient>({
  idempotent: true,
  run: async ({ input, client, signal }) => {
    const job = await client.vps.logDetails(input.orderId, input.jobId, { signal });
    return { completed: job.completed, jobState: job.job_state };
  },
});
