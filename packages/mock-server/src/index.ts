/**
 * @fornex-flow/mock-server: a stateful, faithful mock of the Fornex API. Start it with
 * `startMockServer({ port: 0 })` in-process, or `fornex-mock --port 0` from any language.
 */
export { createMockServer, type MockServer, type MockServerOptions } from './create-mock-server.js';
export { formatPyFloat, PyFloat, pyFloat, toPythonJson } from './py-json/index.js';
export { DIALECT_HEADER } from './server/api-handler.js';
export type { FaultRule } from './server/faults/faults.js';
export type { JournalEntry } from './server/journal.js';
export { type RunningMockServer, type StartMockServerOptions, startMockServer } from './start-mock-server.js';
export type { MockClock } from './world/clock.js';
export type { MockWorld, WorldOptions } from './world/create-world.js';
export {
  createDefaultWorldState,
  LIMITED_API_KEY,
  OTHER_API_KEY,
  PERSONAL_API_KEY,
} from './world/default-world.js';
export { createLinkedMockClock } from './world/linked-clock.js';
export type * from './world/types.js';
export { parseWorldState } from './world/world-schema.js';
