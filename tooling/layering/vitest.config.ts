import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'layering', testTimeout: 60_000 } })
