import { defineStep } from '@fornex-flow/core';

/** The error a recipe fails its run with once it has decided the run failed (a timeout, a rollback). */
export class RecipeFailure extends Error {
  override readonly name = 'RecipeFailure';
  /** A stable reason, e.g. `TIMEOUT`, `ROLLED_BACK`, `PARTIAL`. */
  readonly code: string;

  constructor(code: string, message: string) {
    super(message);
    this.code = code;
  }
}

/** What the `fail` step receives: the reason and the sentence the run's error will carry. */
export interface FailInput {
  code: string;
  message: string;
}

/**
 * Ends the run as failed with a clear message. The machine decides; a machine cannot raise an
 * error itself, so its `failed` state invokes this step without an `onError`, and the error
 * becomes the run's. It changes nothing, so running it twice is harmless.
 */
export const failStep = defineStep<FailInput, never>({
  idempotent: true,
  run: ({ input }) => {
    throw new RecipeFailure(input.code, input.message);
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
