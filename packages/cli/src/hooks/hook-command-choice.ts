import { parseShell } from '@agent-tracker/core/host'
import { CliError, EXIT } from '../cli-error.js'
import type { CliLauncher } from './cli-launcher.js'
import { runnerCacheOf } from './cli-launcher.js'
import { findExecutable } from './find-executable.js'
import { agentTrackerAt } from './hook-command-words.js'
import { shellQuote, shellWord } from './shell-quote.js'
import type { Io } from '../io.js'

/** The hook command to install, and why it is that one. */
export type HookCommandChoice =
  /** `agent-tracker …`: found on the PATH the hooks will see, at `executable`. */
  | { readonly kind: 'on-path'; readonly command: string; readonly executable: string }
  /** `'<node>' '<bin>' …`: agent-tracker is not on that PATH, so this copy runs by its full path. */
  | { readonly kind: 'full-path'; readonly command: string }
  /** What `--command` gave. */
  | { readonly kind: 'given'; readonly command: string }

/** How to choose: `--command` if given, the database (`--db`), the environment whose PATH the hooks inherit, this CLI, and the install command to run again. */
export interface HookCommandSources {
  readonly given?: string | undefined
  readonly databasePath?: string | undefined
  readonly env: Io['env']
  /** This CLI's Node and bin script, asked only when the hooks must run it by its full path. */
  readonly launcher: () => CliLauncher
  /** The install command line, for the advice to run it again. */
  readonly rerun: string
}

/**
 * The command an agent host's hooks run to reach agent-tracker (`… hook claude-code [--db '<path>']`):
 * what `--command` gave; else `agent-tracker` when it is on the lasting PATH; else the running Node
 * and this CLI's bin script by their absolute paths, shell-quoted.
 * @throws {CliError} USAGE for an empty or blank `--command`, or one with words after the program (see `givenCommandProblem`); NOT_INSTALLED when that copy lives in a package runner's cache (npx's), which
 * may be deleted at any time: the error says how to install agent-tracker for good.
 */
export function chooseHookCommand(sources: HookCommandSources): HookCommandChoice {
  const tail = `hook claude-code${sources.databasePath === undefined ? '' : ` --db ${shellQuote(sources.databasePath)}`}`
  if (sources.given !== undefined) {
    if (sources.given.trim() === '') {
      throw new CliError('USAGE', `--command is ${sources.given === '' ? 'empty' : 'blank'}: give the command that starts agent-tracker (such as --command agent-tracker or --command "npx agent-tracker"; the hooks add \`hook claude-code\` to it), or leave --command out to have it chosen. Nothing was written.`, EXIT.usage)
    }
    const refused = givenCommandProblem(sources.given, sources.rerun)
    if (refused !== undefined) throw new CliError('USAGE', refused, EXIT.usage)
    return { kind: 'given', command: `${sources.given} ${tail}` }
  }
  const executable = findExecutable('agent-tracker', sources.env)
  if (executable !== undefined) return { kind: 'on-path', command: `agent-tracker ${tail}`, executable }
  let launcher: CliLauncher
  try {
    launcher = sources.launcher()
  } catch (error) {
    throw new CliError('NOT_INSTALLED', `agent-tracker is not on your PATH, and this copy's own bin script was not found (${error instanceof Error ? error.message : String(error)}). Install it (npm i -g @agent-tracker/cli) and run ${sources.rerun} again, or name the command the hooks should run with --command.`, EXIT.failure)
  }
  const runner = runnerCacheOf(launcher.bin)
  if (runner !== undefined) {
    throw new CliError('NOT_INSTALLED', [
      `agent-tracker is not on your PATH, and this copy runs from ${runner}'s cache (${launcher.bin}), which may be deleted at any time: hooks pointing there would then fail without a word, and nothing would be tracked. Nothing was written.`,
      'Install agent-tracker for good, then run this again:',
      '  npm i -g @agent-tracker/cli',
      `  ${sources.rerun}`,
      '(Or name the command the hooks should run with --command.)',
    ].join('\n'), EXIT.failure)
  }
  return { kind: 'full-path', command: `${shellQuote(launcher.node)} ${shellQuote(launcher.bin)} ${tail}` }
}

/** What `--command` accepts, for the errors that refuse one. */
const ACCEPTED_COMMAND = 'a path or a name on PATH (agent-tracker, /usr/local/bin/agent-tracker), optionally after an interpreter or a wrapper (node /abs/bin/agent-tracker.js, npx agent-tracker, env -u NODE_EXTRA_CA_CERTS agent-tracker), or a wrapper script of yours'

/**
 * Why `--command` cannot be installed, or undefined: the hooks run it with `hook claude-code …`
 * after it, so any word after agent-tracker itself (`agent-tracker --db /x.lmdb`) lands before
 * `hook`, where agent-tracker refuses it as a usage error and every hook fails; and a wrapper's
 * `--db` (which only agent-tracker takes) would land there too. The message says what is accepted,
 * and where a database goes instead: `hooks install --db`, which puts it after `hook claude-code`.
 */
export function givenCommandProblem(given: string, rerun: string): string | undefined {
  const words = parseShell(given).commands.find((entry) => entry.depth === 0)?.words ?? []
  const at = agentTrackerAt(words)
  const extra = at >= 0 ? words.slice(at + 1) : words.slice(1).filter((word, index, all) => isDatabaseOption(word.text) || (index > 0 && all[index - 1]?.text === '--db'))
  if (extra.length === 0) return undefined
  const program = at >= 0 ? words.slice(0, at + 1).map((word) => word.raw).join(' ') : words.filter((word) => !extra.includes(word)).map((word) => word.raw).join(' ')
  const databaseAt = extra.findIndex((word) => isDatabaseOption(word.text))
  const inline = databaseAt < 0 ? undefined : extra[databaseAt]?.text.match(/^--db=(.+)$/)?.[1]
  const database = inline ?? (databaseAt < 0 ? undefined : extra[databaseAt + 1]?.text)
  const again = `${database === undefined || rerun.includes(' --db ') ? rerun : `${rerun} --db ${shellWord(database)}`} --command ${shellWord(program)}`
  return [
    `--command "${given}" has ${extra.map((word) => word.raw).join(' ')} after the program that starts agent-tracker, and names only that program: the hooks add \`hook claude-code\` after it, so these words would come before \`hook\`, where agent-tracker refuses them and every hook would fail. Nothing was written.`,
    `Accepted: ${ACCEPTED_COMMAND}.`,
    `${database === undefined ? 'Options of agent-tracker do not go there' : 'The database goes with hooks install\'s own --db, which puts it after `hook claude-code`'}: ${again}`,
  ].join('\n')
}

/** `--db` or `--db=…`: the option only agent-tracker takes, which a wrapper would pass on before `hook`. */
function isDatabaseOption(word: string): boolean {
  return word === '--db' || word.startsWith('--db=')
}
