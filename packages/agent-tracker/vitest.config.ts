import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: { name: 'agent-tracker', include: ['test/**/*.test.ts'], testTimeout: 30_000 },
})
