export { type Clock, createFakeClock, type FakeClock, type FakeClockOptions, systemClock } from './clock.js';
export { CrashPoint, crashPoint } from './crash-points.js';
export {
  createEngine,
  type Engine,
  type EngineOptions,
  type ResumeOptions,
  type RunHandle,
  type StartOptions,
} from './create-engine.js';
export { EngineEventBus, type EngineEventName, type EngineEvents, runEventNames } from './engine-events.js';
export { corruptRun, EngineError, EngineErrorCode, isEngineError, type SerializedError } from './errors.js';
export {
  type ChildRuns,
  defineRecipe,
  defineStep,
  type Recipe,
  type RecipeDefinition,
  type ReconcileResult,
  type StepContext,
  type StepDefinition,
  stepActor,
} from './recipe/define-recipe.js';
export { describeInputIssues, isControlChar, printableText } from './recipe/input-issues.js';
export type { AnyRecipe, RunOutput, StartInput, StepFor, StepsOf } from './recipe/recipe-types.js';
export type { HistoryEntry, RunInfo, StepInfo } from './run-info.js';
export { RunStatus, StepStatus } from './status.js';
export { defaultStepRetryPolicy, type StepRetryPolicy } from './steps/retry-policy.js';
export type { FlowRegister, RegisteredClient } from './steps/step-definition.js';
export type { ScheduleRow, ScheduleStore } from './store/schedule-types.js';
export {
  encodeStepChanges,
  loadedRunOf,
  replaySteps,
  type StartedMarker,
  type StepChangeRow,
} from './store/step-journal.js';
export type {
  Awaitable,
  CreateRunResult,
  HistoryRow,
  LeaseRow,
  LoadedRun,
  RunRow,
  StepRow,
  StoreWrite,
  StoreWriteResult,
  SyncWorkflowStore,
  TimerRow,
  TransitionCommit,
  WorkflowStore,
} from './store/types.js';
