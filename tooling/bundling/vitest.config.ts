import { defineProject } from 'vitest/config'

// Each case runs esbuild over a small app in a temporary folder.
export default defineProject({ test: { name: 'bundling', testTimeout: 30_000 } })
