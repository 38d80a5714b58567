import { defineConfig } from 'vitest/config';

// Many tests start real processes (the mock, the CLI, crash children) and real servers: on a shared
// 2-core machine a spawn alone can take seconds, so vitest's 5 s default fails healthy tests. A hung
// test still fails, after 30 s.
export default defineConfig({
  test: { testTimeout: 30_000, hookTimeout: 30_000 },
});
