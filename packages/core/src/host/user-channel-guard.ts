import { inlineCodeOf } from './protection/interpreter-code.js'
import type { RunCommand } from './shell/commands-run.js'
import { commandsRun } from './shell/commands-run.js'

/**
 * The CLI commands that record what only the user may say, or bring in records wholesale; and
 * `hook`, the handler an agent host runs itself, which takes a prompt it is given for the user's
 * (`/grade`, `/reinstate`): an agent has no use for it.
 */
export const USER_CHANNEL_COMMANDS: ReadonlySet<string> = new Set(['grade', 'bug', 'reinstate', 'ingest', 'merge', 'upgrade', 'import', 'migrate', 'hook'])
/** The slash commands that speak for the user (`/tracker` only shows the status card). */
const USER_SLASH_COMMANDS = /^(?:grade|bug|reinstate)$/
/** Global options of the CLI that take a value, skipped on the way to its command. */
const CLI_VALUE_OPTIONS = new Set(['--db', '--max-size'])

/** A tool call that would use one of the user's own channels. */
export interface UserChannelUse {
  /** The command as the message names it: `agent-tracker grade`, `opencode --command grade`. */
  readonly command: string
}

/**
 * The user's own channel a shell command line would use, or undefined: the tracker CLI's
 * `grade`, `bug`, `reinstate`, `ingest`, `merge`, `upgrade`, `import`, `migrate`, `hook` and `retro --note`
 * however it is started (a path, `npx`, `pnpm exec`, `node …/agent-tracker.js`, env prefixes,
 * `sh -c`, `bash -lc`, `eval`, subshells, `$(…)`, lists and pipes); `opencode … --command
 * grade|bug|reinstate` and an `opencode run` message starting with `/grade`, `/bug` or
 * `/reinstate`; interpreter code that loads the tracker's packages or opens its database.
 */
export function userChannelIn(command: string): UserChannelUse | undefined {
  for (const run of commandsRun(command)) {
    const found = trackerWrite(run) ?? nestedUserCommand(run) ?? trackerInCode(run)
    if (found !== undefined) return found
  }
  return undefined
}

function trackerWrite(run: RunCommand): UserChannelUse | undefined {
  if (run.name !== 'agent-tracker') return undefined
  const args = run.args.map((arg) => arg.text)
  let index = 0
  while (index < args.length && (args[index] ?? '').startsWith('-')) index += CLI_VALUE_OPTIONS.has(args[index] ?? '') ? 2 : 1
  const subcommand = args[index]
  if (subcommand === undefined) return undefined
  if (USER_CHANNEL_COMMANDS.has(subcommand)) return { command: `agent-tracker ${subcommand}` }
  if (subcommand === 'retro' && args.some((arg) => arg === '--note' || arg.startsWith('--note='))) return { command: 'agent-tracker retro --note' }
  return undefined
}

function nestedUserCommand(run: RunCommand): UserChannelUse | undefined {
  if (run.name !== 'opencode') return undefined
  const args = run.args.map((arg) => arg.text)
  for (let index = 0; index < args.length; index++) {
    const arg = args[index] ?? ''
    const value = arg === '--command' || arg === '-c' ? args[index + 1] : arg.startsWith('--command=') ? arg.slice('--command='.length) : undefined
    const name = value?.replace(/^\//, '')
    if (name !== undefined && USER_SLASH_COMMANDS.test(name)) return { command: `opencode --command ${name}` }
    const slash = /^\/(grade|bug|reinstate)\b/.exec(arg.trim())
    if (slash !== null) return { command: `opencode run /${slash[1] ?? ''}` }
  }
  return undefined
}

/** Programs that may name the database without changing it. */
const LOOKS_ONLY = new Set(['agent-tracker', 'ls', 'stat', 'du', 'test', '[', '[[', 'echo', 'printf', 'file', 'realpath', 'dirname', 'basename'])

function trackerInCode(run: RunCommand): UserChannelUse | undefined {
  if (!LOOKS_ONLY.has(run.name) && run.args.some((arg) => arg.text.includes('agent-tracker.lmdb'))) return { command: `${run.name} on the agent-tracker database` }
  for (const inline of inlineCodeOf(run)) {
    if (inline.language === 'shell') {
      const found = userChannelIn(inline.code)
      if (found !== undefined) return found
    } else if (inline.code.includes('@agent-tracker/')) return { command: `${run.name} code that loads @agent-tracker packages` }
    else if (inline.code.includes('agent-tracker.lmdb')) return { command: `${run.name} code that opens the agent-tracker database` }
  }
  return undefined
}
