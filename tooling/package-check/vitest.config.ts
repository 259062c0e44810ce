import { defineProject } from 'vitest/config'

// Each case packs a package with pnpm and runs Are the Types Wrong? on it: seconds, not milliseconds.
export default defineProject({ test: { name: 'package-check', testTimeout: 60_000 } })
