import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  // A hang guard, not a speed check: hook tests open real LMDB files and run git.
  test: { name: 'claude-code', testTimeout: 30_000, setupFiles: ['@agent-tracker/test-folders/remove-after-each'], isolate: false },
})
