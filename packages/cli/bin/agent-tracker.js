#!/usr/bin/env node
import { fileURLToPath } from 'node:url'

// A hook process runs once per event of an agent host: it loads only the hook's code.
const args = process.argv.slice(2)
if (args[0] === 'hook' && args[1] !== '--help' && args[1] !== '-h' && args.length > 1) {
  const [{ runHookCommand }, { processIo }] = await Promise.all([import('../dist/hook-command.js'), import('../dist/io.js')])
  process.exitCode = await runHookCommand(args.slice(1), processIo())
} else {
  // Writers and the whole-file readers run in a child process: a crash of the native database library on
  // a damaged file becomes a clear error (exit 1), not a signal. Other commands run here, in one process.
  const { runSupervised } = await import('../dist/supervise.js')
  process.exitCode = await runSupervised(fileURLToPath(import.meta.url), args, async (argv) => (await import('../dist/main.js')).main(argv))
}
