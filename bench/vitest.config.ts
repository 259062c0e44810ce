import { defineProject } from 'vitest/config'

export default defineProject({ test: { name: 'bench', testTimeout: 180_000 } })
