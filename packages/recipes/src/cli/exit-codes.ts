/** The process exit codes of `fornex-flow`, one meaning each. */
export const ExitCode = {
  /** The command did what it was asked; a run completed. */
  Done: 0,
  /** A run failed (or was cancelled), or the command itself failed. */
  Failed: 1,
  /** Bad usage or bad input: nothing was started. */
  Usage: 2,
  /** Interrupted, or a run was left waiting for a worker. */
  Waiting: 3,
} as const;

/** Union of exit codes. */
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
