import { defineProject } from 'vitest/config'

export default defineProject({
  resolve: { conditions: ['@agent-tracker/source'] },
  ssr: { resolve: { conditions: ['@agent-tracker/source'] } },
  test: {
    name: 'opencode-plugin',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Each end-to-end scenario drives several real opencode processes.
    testTimeout: 240_000,
  },
})
