#!/usr/bin/env node
// A hook process runs once per event of an agent host: it loads only the hook's code.
const args = process.argv.slice(2)
if (args[0] === 'hook' && args[1] !== '--help' && args[1] !== '-h' && args.length > 1) {
  const [{ runHookCommand }, { processIo }] = await Promise.all([import('../dist/hook-command.js'), import('../dist/io.js')])
  process.exitCode = await runHookCommand(args.slice(1), processIo())
} else {
  const { main } = await import('../dist/main.js')
  process.exitCode = await main(args)
}
