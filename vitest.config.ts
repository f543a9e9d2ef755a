import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Builds dist/server when stale: spawned servers and the recording worker run the bundle.
    globalSetup: ['test/helpers/globalSetup.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    // Browser tests start real servers and a real Chromium; two cores do not want them in parallel.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
