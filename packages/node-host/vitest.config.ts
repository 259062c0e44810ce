import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  test: { name: 'node-host', testTimeout: 30_000, setupFiles: ['@agent-tracker/test-folders/remove-after-each'], isolate: false },
})
