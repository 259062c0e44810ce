import { CliError, EXIT } from '../cli-error.js'
import type { CliLauncher } from './cli-launcher.js'
import { runnerCacheOf } from './cli-launcher.js'
import { findExecutable } from './find-executable.js'
import { shellQuote } from './shell-quote.js'
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
 * @throws {CliError} USAGE for an empty or blank `--command`; NOT_INSTALLED when that copy lives in a package runner's cache (npx's), which
 * may be deleted at any time: the error says how to install agent-tracker for good.
 */
export function chooseHookCommand(sources: HookCommandSources): HookCommandChoice {
  const tail = `hook claude-code${sources.databasePath === undefined ? '' : ` --db ${shellQuote(sources.databasePath)}`}`
  if (sources.given !== undefined) {
    if (sources.given.trim() === '') {
      throw new CliError('USAGE', `--command is ${sources.given === '' ? 'empty' : 'blank'}: give the command that starts agent-tracker (such as --command agent-tracker or --command "npx agent-tracker"; the hooks add \`hook claude-code\` to it), or leave --command out to have it chosen. Nothing was written.`, EXIT.usage)
    }
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
