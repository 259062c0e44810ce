import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  test: {
    name: 'cli',
    // Integration tests run the built CLI as child processes (~0.3 s each on an idle machine),
    // often a dozen per test, while the OpenCode end-to-end suite shares the same two cores.
    testTimeout: 60_000,
  },
})
