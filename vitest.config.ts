import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['harness/**/*.test.ts', 'checkers/**/*.test.ts', 'targets/**/*.test.ts', 'nemeses/**/*.test.ts', 'reports/**/*.test.ts', 'test/**/*.test.ts'],
    // End-to-end runs (test/e2e) start clusters: they run on their own, one file at a time (vitest.e2e.config.ts).
    exclude: ['node_modules/**', 'dist/**', 'store/**', 'test/e2e/**'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: end-to-end tests start clusters; keep files from fighting over the CPU.
    maxWorkers: 2,
  },
});
