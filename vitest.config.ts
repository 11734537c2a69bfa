import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Two cores: the browser and crash tests are heavy, keep parallelism modest.
    maxWorkers: 2,
    // The default report, and a list of every test that needed a retry (test/support/retryReporter.ts).
    reporters: ['default', './test/support/retryReporter.ts'],
    projects: [
      {
        extends: true,
        test: { name: 'core', include: ['test/**/*.test.ts', 'test/**/*.test.tsx'], exclude: ['test/e2e/**'] },
      },
      {
        // The browser tests drive Chromium against a preview on two cores shared with another test file: a step
        // of one of them has now and then missed its moment under that load (README, "CI"). A test that fails
        // is run once more, from its start; one that fails twice fails the run. The run ends by listing every retried test.
        extends: true,
        // A test that could still be running at the branch's midnight waits for the date to turn first (test/e2e/setup.ts).
        test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], setupFiles: ['test/e2e/setup.ts'], retry: 1 },
      },
    ],
  },
});
