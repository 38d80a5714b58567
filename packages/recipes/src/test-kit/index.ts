export { type ActivityTracker, createActivityTracker } from './activity.js';
export { createTestKit, type RunEnd, type TestKit, type TestKitOptions } from './create-test-kit.js';
