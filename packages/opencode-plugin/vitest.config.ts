import { defineConfig } from 'vitest/config'

// Two projects: `pnpm test` runs the unit tests (seconds); `pnpm test:e2e` drives the real
// opencode binary (minutes), and the repository's `pnpm test` runs both.
export default defineConfig({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  test: {
    projects: [
      {
        extends: true,
        // A hang guard, not a speed check: hook tests open real LMDB files and run git, and share
        // two cores with the end-to-end suite under `pnpm test`.
        test: { name: 'opencode-plugin', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/e2e/**'], testTimeout: 30_000, setupFiles: ['test/setup.ts'], isolate: false },
      },
      {
        extends: true,
        // Each end-to-end scenario drives several real opencode processes.
        // Two files at a time: a run waits on its fake model and on git as much as it computes. Under
        // the repository's `pnpm test` the suite starts first, on a lane of its own (scripts/test-all.mjs).
        test: { name: 'opencode-plugin:e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 240_000, maxWorkers: 2, globalSetup: ['test/e2e/global-setup.ts'] },
      },
    ],
  },
})
