import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  // --expose-gc lets the streaming test measure retained memory, not garbage awaiting collection.
  test: { name: 'migrate', execArgv: ['--expose-gc'], testTimeout: 30_000, setupFiles: ['@agent-tracker/test-folders/remove-after-each'], isolate: false },
})
