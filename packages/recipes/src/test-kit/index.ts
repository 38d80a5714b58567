export { type ActivityTracker, createActivityTracker } from './activity.js';
export { createTestKit, type RunEnd, type TestKit, type TestKitOptions } from './create-test-kit.js';
export { createVirtualClock, type VirtualClock } from './virtual-clock.js';
