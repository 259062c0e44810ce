import type { Command } from 'commander'
import { CommanderError } from 'commander'
import { EXIT } from './cli-error.js'
import type { Io } from './io.js'
import { WORKING_FOLDER, processIo } from './io.js'
import { errorEnvelope, toJsonText } from './json-envelope.js'
import { jsonWithoutCommand } from './json-without-command.js'
import type { Runner } from './program.js'
import { buildProgram } from './program.js'
import { terminalSafe } from './terminal-text.js'
import { CLI_VERSION } from './version.js'

/** The process's own streams and environment, for the launcher to run `main` with (see launch.ts). */
export { processIo }

/** Errors that, when there is no database yet, only mean nothing was recorded: the answer is empty. */
const EMPTY_WITHOUT_DATABASE: ReadonlySet<string> = new Set(['UNKNOWN_SETUP', 'UNKNOWN_PROJECT'])

/** Runs the CLI with the given arguments and returns the exit code: 0 ok (help included, and no arguments: the help), 1 failure, 2 usage. */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let exitCode: number = EXIT.ok
  const wantsJson = argv.includes('--json')
  let running: string | null = null
  let known: readonly string[] = []
  const run: Runner = async (command, options) => {
    // Loaded when a command runs: `--help` and usage errors never load the database code.
    const { CommandContext } = await import('./context.js')
    const ctx = new CommandContext(io, options, { command: running, commands: known })
    try {
      const code = await command(ctx)
      if (typeof code === 'number') exitCode = code
      // An answer from a database marked damaged may lack records: it stands, but is no success.
      if (ctx.damageWarned && exitCode === EXIT.ok) exitCode = EXIT.failure
    } catch (error) {
      const { describeFailure } = await import('./describe-failure.js')
      const failure = describeFailure(error)
      if (ctx.missingDatabase && EMPTY_WITHOUT_DATABASE.has(failure.code)) {
        ctx.print(null, () => '')
        exitCode = EXIT.ok
        return
      }
      exitCode = failure.exitCode
      // Remembered, so the next reads of this file run under a supervisor and writers refuse it.
      if (failure.code === 'DATABASE_DAMAGED') await rememberDamage(ctx, failure.problem ?? failure.message)
      if (ctx.json) io.stdout.write(toJsonText(errorEnvelope(running, failure.code, failure.message)))
      // A usage error goes to stderr with --json too, for whoever watches the terminal (as commander's own do).
      if (!ctx.json || failure.exitCode === EXIT.usage) io.stderr.write(`${ctx.colours.red('error:')} ${terminalSafe(failure.message, ctx.colours.isColorSupported)}\n`)
    } finally {
      await ctx.close()
    }
  }
  const program: Command = buildProgram(io, run, CLI_VERSION)
  known = program.commands.map((command) => command.name())
  program.hook('preAction', (_, action) => {
    running = action.name()
  })
  if (argv.length === 0) {
    // Run bare, it shows what it can do, as --help does (and pnpm, cargo and gh do): nothing went wrong.
    program.outputHelp()
    return EXIT.ok
  }
  // `agent-tracker --json` asks a command's answer of no command: the usage error says which commands answer in JSON.
  const noCommand = jsonWithoutCommand(argv, known)
  if (noCommand !== undefined) {
    io.stdout.write(toJsonText(errorEnvelope(null, 'USAGE', noCommand)))
    io.stderr.write(`error: ${noCommand}\n`)
    return EXIT.usage
  }
  // `statu --help` would show the program's help and exit 0: the unknown command is said instead.
  const names = new Set([...program.commands.flatMap((command) => [command.name(), ...command.aliases()]), 'help'])
  const first = argv[0]
  const args = first !== undefined && !first.startsWith('-') && !names.has(first) ? argv.filter((arg) => arg !== '--help' && arg !== '-h') : argv
  try {
    await program.parseAsync([...args], { from: 'user' })
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.ok
    if (wantsJson) {
      const named = argv.find((arg) => known.includes(arg)) ?? null
      io.stdout.write(toJsonText(errorEnvelope(named, 'USAGE', error.message.replace(/^error: /, ''))))
    }
    if (isHookCommandLine(argv)) {
      // Claude Code blocks the prompt (or the tool call) when a hook exits 2: a hook command it cannot read is a hook error, never a block.
      io.stderr.write("agent-tracker: this hook command cannot be read, so the hook did not run. agent-tracker doctor says what is wrong with it; agent-tracker hooks install claude-code writes it afresh.\n")
      return EXIT.failure
    }
    return EXIT.usage
  }
  return exitCode
}

/**
 * True for the command line of an agent host's hook: `hook claude-code` among its words, wherever
 * (an installed command with words before `hook`, such as `agent-tracker --db /x hook claude-code`,
 * fails to parse). Its usage errors exit 1, not 2: Claude Code takes exit code 2 from a hook as
 * "block", and would stop every prompt.
 */
export function isHookCommandLine(argv: readonly string[]): boolean {
  return argv.some((arg, index) => arg === 'hook' && argv[index + 1] === 'claude-code')
}

/** Marks the command's database damaged (see `markDamaged`); nothing when it cannot be told which. */
async function rememberDamage(ctx: { readonly databasePath: string | undefined; readonly io: Io }, problem: string): Promise<void> {
  const [{ locateDatabase }, { markDamaged }] = await Promise.all([import('@agent-tracker/node-host/database-path'), import('@agent-tracker/lmdb-store/damage')])
  try {
    markDamaged(locateDatabase({ databasePath: ctx.databasePath, env: ctx.io.env, homeDir: ctx.io.homeDir, relativeTo: WORKING_FOLDER }).path, problem)
  } catch {
    // No database path to name: nothing to remember.
  }
}
