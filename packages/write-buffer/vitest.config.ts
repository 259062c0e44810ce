import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  // A hang guard, not a speed check (speed is measured by `pnpm bench`): property runs and
  // child-process probes take seconds when the whole suite shares two cores.
  test: { name: 'write-buffer', testTimeout: 30_000, isolate: false },
})
