import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Files run in parallel on the machine's 2 cores; each gets its own databases.
    fileParallelism: true,
    reporters: ['default', './test/support/summary-reporter.ts'],
  },
});
