#!/usr/bin/env node
import { fileURLToPath } from 'node:url'

// Runs the bundled CLI (see scripts/bundle.js). A hook process runs once per event of an agent
// host: it loads only the hook's code.
const args = process.argv.slice(2)
if (args[0] === 'hook' && args[1] !== '--help' && args[1] !== '-h' && args.length > 1) {
  const [{ runHookCommand }, { processIo }] = await Promise.all([import('../bundle/hook-command.js'), import('../bundle/io.js')])
  process.exitCode = await runHookCommand(args.slice(1), processIo())
} else {
  // Writers, export and doctor run in a child process (and reads of a database known to be damaged):
  // a crash of the native database library on a damaged file becomes a clear error (exit 1), not a signal.
  const { runSupervised } = await import('../bundle/supervise.js')
  process.exitCode = await runSupervised(fileURLToPath(import.meta.url), args, async (argv) => (await import('../bundle/main.js')).main(argv))
}
