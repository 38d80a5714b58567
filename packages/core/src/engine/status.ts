/** Lifecycle of a run. `running` has steps in flight; `waiting` sleeps on a timer or an external event. */
export const RunStatus = {
  Running: 'running',
  Waiting: 'waiting',
  Completed: 'completed',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;

/** Union of run statuses. */
export type RunStatus = (typeof RunStatus)[keyof typeof RunStatus];

/** Lifecycle of a step row: the outbox writes `scheduled`, the runner `started`, the result the rest. */
export const StepStatus = {
  Scheduled: 'scheduled',
  Started: 'started',
  Succeeded: 'succeeded',
  Failed: 'failed',
  Cancelled: 'cancelled',
} as const;

/** Union of step statuses. */
export type StepStatus = (typeof StepStatus)[keyof typeof StepStatus];

/** What a timer row delivers when due: an event to the machine, or another attempt of a step. */
export const TimerKind = { Event: 'event', Retry: 'retry' } as const;

/** Union of timer kinds. */
export type TimerKind = (typeof TimerKind)[keyof typeof TimerKind];

/** True for the statuses a run never leaves. */
export function isTerminal(status: RunStatus): boolean {
  return status === RunStatus.Completed || status === RunStatus.Failed || status === RunStatus.Cancelled;
}
