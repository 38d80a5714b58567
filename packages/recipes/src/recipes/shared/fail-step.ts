import { defineStep } from '@fornex-flow/core';

/** The API request behind a failure, when one was: its HTTP status and contract endpoint id. */
export interface FailureCause {
  /** HTTP status of the answer (absent when none came: a timeout, a dropped connection). */
  status?: number;
  /** Contract id of the endpoint, e.g. `vps.restart`. */
  endpointId?: string;
}

/** The error a recipe fails its run with once it has decided the run failed (a timeout, a rollback). */
export class RecipeFailure extends Error {
  override readonly name = 'RecipeFailure';
  /** A stable reason, e.g. `TIMEOUT`, `ROLLED_BACK`, `PARTIAL`. */
  readonly code: string;
  /** HTTP status of the API answer that caused the failure, if any (kept in the run's stored error). */
  readonly status?: number;
  /** Endpoint id of the API request that caused the failure, if any (kept in the run's stored error). */
  readonly endpointId?: string;

  constructor(code: string, message: string, cause: FailureCause = {}) {
    super(message);
    this.code = code;
    if (cause.status !== undefined) this.status = cause.status;
    if (cause.endpointId !== undefined) this.endpointId = cause.endpointId;
  }
}

/** What the `fail` step receives: the reason, the sentence the run's error will carry, and the request behind it. */
export interface FailInput extends FailureCause {
  code: string;
  message: string;
}

/**
 * The status and endpoint id of a step's error (serialized by the engine, or a FornexError), so a
 * run failed by an API answer says which request and which status, not only in its sentence.
 */
export function causeOf(error: unknown): FailureCause {
  if (typeof error !== 'object' || error === null) return {};
  const { status, endpointId } = error as { status?: unknown; endpointId?: unknown };
  return {
    ...(typeof status === 'number' ? { status } : {}),
    ...(typeof endpointId === 'string' ? { endpointId } : {}),
  };
}

/**
 * Ends the run as failed with a clear message. The machine decides; a machine cannot raise an
 * error itself, so its `failed` state invokes this step without an `onError`, and the error
 * becomes the run's. It changes nothing, so running it twice is harmless.
 */
export const failStep = defineStep<FailInput, never>({
  idempotent: true,
  run: ({ input }) => {
    throw new RecipeFailure(input.code, input.message, input);
  },
});

/** A short text of any thrown value or serialized error, for reports. */
export function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

/**
 * The `failed` state every recipe ends in when it decides the run failed: it invokes the `fail`
 * step with the context's `failure` (set by the transition that led here).
 */
export function failedState(recipeId: string) {
  return {
    invoke: {
      id: 'fail',
      src: 'fail' as const,
      input: ({ context }: { context: { failure: FailInput | null } }): FailInput =>
        context.failure ?? { code: 'FAILED', message: `${recipeId} failed` },
    },
  };
}
