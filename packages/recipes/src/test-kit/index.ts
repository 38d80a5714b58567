export { createTestKit, type RunEnd, type TestKit, type TestKitOptions } from './create-test-kit.js';
