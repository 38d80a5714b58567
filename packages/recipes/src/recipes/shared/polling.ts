import { describeError } from './fail-step.js';

/** What a polling recipe keeps of its polls: how many, and what the last one saw. */
export interface PollState {
  polls: number;
  lastSeen: string | null;
}

/** Assigner of `polls`: one more poll. */
export const countPoll = ({ context }: { context: PollState }): number => context.polls + 1;

/**
 * Assigner of `lastSeen` for a poll that failed: a failed read is a missed poll, not a failed run
 * (the recipe's timeout still bounds it), and the report says what went wrong.
 */
export const missedPoll = ({ event }: { event: { error: unknown } }): string =>
  `unknown (${describeError(event.error)})`;
