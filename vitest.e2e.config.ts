import { defineConfig } from 'vitest/config';

// End-to-end runs: real clusters in network namespaces, one file at a time
// so that timing-sensitive runs do not compete for the two cores.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.test.ts'],
    testTimeout: 300_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    maxWorkers: 1,
  },
});
