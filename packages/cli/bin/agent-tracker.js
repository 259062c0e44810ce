#!/usr/bin/env node
// Runs the bundled CLI (see scripts/bundle.js). A hook process runs once per event of an agent
// host: it loads only the hook's code.
const args = process.argv.slice(2)
if (args[0] === 'hook' && args[1] !== '--help' && args[1] !== '-h' && args.length > 1) {
  const [{ runHookCommand }, { processIo }] = await Promise.all([import('../bundle/hook-command.js'), import('../bundle/io.js')])
  process.exitCode = await runHookCommand(args.slice(1), processIo())
} else {
  const { main } = await import('../bundle/main.js')
  process.exitCode = await main(args)
}
