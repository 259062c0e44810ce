import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  // One PostgreSQL cluster for the whole run (started and stopped by the global setup); each
  // test file makes its own databases or schemas in it. Timeouts are hang guards, not speed checks.
  test: { name: 'postgres-store', testTimeout: 60_000, hookTimeout: 120_000, globalSetup: ['./test/global-setup.ts'] },
})
