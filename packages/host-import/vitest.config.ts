import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  // A hang guard, not a speed check: tests read real SQLite files and run git.
  test: { name: 'host-import', testTimeout: 30_000, setupFiles: ['@agent-tracker/test-folders/remove-after-each'], isolate: false },
})
