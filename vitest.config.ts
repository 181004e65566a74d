import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['*/src/**/*.test.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          include: ['*/test/**/*.int.test.ts', 'test/**/*.int.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          // Integration files start their own nats-server and database; two at a time suits two cores.
          maxWorkers: 2,
        },
      },
    ],
  },
});
