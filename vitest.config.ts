import { defineConfig } from 'vitest/config';

// .ci/run asks for a JSON report too, to print a closing "N passed, N failed" line.
const jsonReport = process.env.VITEST_JSON_REPORT;

export default defineConfig({
  test: {
    ...(jsonReport && { reporters: ['default', 'json'], outputFile: { json: jsonReport } }),
    projects: [
      {
        test: {
          name: 'unit',
          sequence: { groupOrder: 0 },
          include: ['*/src/**/*.test.ts', 'console/server/src/**/*.test.ts', 'test/deploy/*.test.ts'],
        },
      },
      {
        // The web app's component tests, in jsdom.
        extends: './console/web/vite.config.ts',
        test: {
          name: 'web',
          sequence: { groupOrder: 0 },
          environment: 'jsdom',
          include: ['console/web/src/**/*.test.{ts,tsx}'],
        },
      },
      {
        test: {
          name: 'integration',
          // Runs after the unit tests, with its own worker limit.
          sequence: { groupOrder: 1 },
          include: ['*/test/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Integration files start their own nats-server and database; two at a time suits two cores.
          maxWorkers: 2,
        },
      },
      {
        test: {
          name: 'e2e',
          // Chromium against the built web app and a real console; after the integration tests, one file at a time.
          sequence: { groupOrder: 2 },
          include: ['test/e2e/**/*.e2e.test.ts'],
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          maxWorkers: 1,
        },
      },
    ],
  },
});
