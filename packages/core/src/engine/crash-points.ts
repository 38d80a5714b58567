/** The named places where crash tests kill the process (see docs/engine.md). */
export const CrashPoint = {
  BeforeStepRecord: 'before-step-record',
  AfterEffectBeforeRecord: 'after-effect-before-record',
  MidTimer: 'mid-timer',
  AfterStartCommit: 'after-start-commit',
  AfterTransitionCommit: 'after-transition-commit',
} as const;

/** Union of crash point names. */
export type CrashPoint = (typeof CrashPoint)[keyof typeof CrashPoint];

// Read once: a crash point costs one string comparison when the variable is unset.
const crashAt = process.env.FORNEX_FLOW_CRASH_AT;
let hits = 0;
const crashAfterHits = Number(process.env.FORNEX_FLOW_CRASH_AFTER ?? '0');

/**
 * SIGKILLs the current process when env `FORNEX_FLOW_CRASH_AT` names this point (tests only).
 * `FORNEX_FLOW_CRASH_AFTER=N` skips the first N hits, to crash at a later step.
 */
export function crashPoint(name: CrashPoint): void {
  if (crashAt !== name) return;
  if (hits++ < crashAfterHits) return;
  process.kill(process.pid, 'SIGKILL');
}
