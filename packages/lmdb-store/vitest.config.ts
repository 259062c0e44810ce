import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  // A hang guard, not a speed check (speed is measured by `pnpm bench`): property runs and
  // child-process probes take seconds when the whole suite shares two cores.
  test: { name: 'lmdb-store', testTimeout: 30_000, setupFiles: ['@agent-tracker/test-folders/remove-after-each'], isolate: false },
})
