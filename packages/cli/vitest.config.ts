import { defineConfig } from 'vitest/config'

// Two projects: `pnpm test` runs the CLI in-process through main(argv, io) (seconds);
// `pnpm test:e2e` runs the built binary as child processes and opens the HTML report in headless
// Chromium. The repository's `pnpm test` runs both.
export default defineConfig({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  test: {
    projects: [
      {
        extends: true,
        // A hang guard, not a speed check: a test runs a few dozen commands against real LMDB files.
        test: { name: 'cli', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/e2e/**'], testTimeout: 30_000, setupFiles: ['test/setup.ts'], isolate: false },
      },
      {
        extends: true,
        // Two files at a time: its child processes wait on fsync, git and sockets as much as they compute.
        test: { name: 'cli:e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 60_000, setupFiles: ['test/setup.ts'], maxWorkers: 2 },
      },
    ],
  },
})
