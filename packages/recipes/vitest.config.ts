import { defineConfig } from 'vitest/config';

// Many tests start real processes (the mock, the CLI, crash children) and real servers: on a shared
// 2-core machine a spawn alone can take seconds, so vitest's 5 s default fails healthy tests. A hung
// test still fails, after 30 s. The crash suite's 8 recipe-and-store tests mostly wait on processes
// in doubt (test/proof/recipes-crash.test.ts): they run all at once (vitest's default is 5).
export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 30_000, maxConcurrency: 8 },
});
