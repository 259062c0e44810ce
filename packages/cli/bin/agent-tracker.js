#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { runSupervised } from '../dist/supervise.js'

// Writers and the whole-file readers run in a child process: a crash of the native database library on
// a damaged file becomes a clear error (exit 1), not a signal. Other commands run here, in one process.
process.exitCode = await runSupervised(fileURLToPath(import.meta.url), process.argv.slice(2), async (argv) => (await import('../dist/main.js')).main(argv))
