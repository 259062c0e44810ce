#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { runSupervised } from '../dist/supervise.js'

// The command runs in a child process: a crash of the native database library on a damaged file
// becomes a clear error (exit 1), not a signal. main.js is loaded in the child only.
process.exitCode = await runSupervised(fileURLToPath(import.meta.url), process.argv.slice(2), async (argv) => (await import('../dist/main.js')).main(argv))
