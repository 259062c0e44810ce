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
        test: { name: 'opencode-plugin', include: ['src/**/*.test.ts', 'test/**/*.test.ts'], exclude: ['test/e2e/**'] },
      },
      {
        extends: true,
        // Each end-to-end scenario drives several real opencode processes.
        test: { name: 'opencode-plugin:e2e', include: ['test/e2e/**/*.test.ts'], testTimeout: 240_000 },
      },
    ],
  },
})
