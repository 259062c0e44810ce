import { readFileSync } from 'node:fs'
import { CommanderError } from 'commander'
import { EXIT } from './cli-error.js'
import type { Io } from './io.js'
import { processIo } from './io.js'
import type { Runner } from './program.js'
import { buildProgram } from './program.js'

const VERSION = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

/** Runs the CLI with the given arguments and returns the exit code: 0 ok, 1 failure, 2 usage. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok
  const wantsJson = argv.includes('--json')
  const run: Runner = async (command, options) => {
    // Loaded when a command runs: `--help` and usage errors never load the database code.
    const { CommandContext } = await import('./context.js')
    const ctx = new CommandContext(io, options)
    try {
      const code = await command(ctx)
      if (typeof code === 'number') exitCode = code
    } catch (error) {
      const { describeFailure } = await import('./describe-failure.js')
      const failure = describeFailure(error)
      exitCode = failure.exitCode
      if (ctx.json) io.stdout.write(`${JSON.stringify({ error: { code: failure.code, message: failure.message } }, null, 2)}\n`)
      else io.stderr.write(`${ctx.colours.red('error')} ${failure.message}\n`)
    } finally {
      await ctx.close()
    }
  }
  const program = buildProgram(io, run, VERSION)
  if (argv.length === 0) {
    program.outputHelp()
    return EXIT.usage
  }
  try {
    await program.parseAsync([...argv], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok
    if (wantsJson) io.stdout.write(`${JSON.stringify({ error: { code: 'USAGE', message: error.message.replace(/^error: /, '') } }, null, 2)}\n`)
    return EXIT.usage
  }
  return exitCode
}
