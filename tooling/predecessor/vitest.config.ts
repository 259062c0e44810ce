import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'predecessor', testTimeout: 60_000 } })
