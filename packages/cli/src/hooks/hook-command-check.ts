import { existsSync } from 'node:fs'
import { basename, isAbsolute, join } from 'node:path'
import type { ShellWord } from '@agent-tracker/core/host'
import { parseShell } from '@agent-tracker/core/host'
import type { ReadHookFlags } from '../hook-command.js'
import { readHookFlags } from '../hook-command.js'
import { nearestManifest } from '../package-manifest.js'
import { findExecutable, isExecutableFile } from './find-executable.js'
import { agentTrackerAt, databaseVariableOf } from './hook-command-words.js'
import type { Io } from '../io.js'
import { realPath } from '../io.js'

/** What a hook command would do when the agent host runs it, as far as can be told without running it. */
export interface HookCommandCheck {
  /** Why it would fail before agent-tracker starts (its program not found, a file it names gone); undefined when it would start. */
  readonly trouble?: string
  /** The program it starts, as found: a file on PATH, or the path it names. */
  readonly program?: string
  /** The `--db` it passes to `hook claude-code`, as written. */
  readonly databasePath?: string
  /** What it runs before `hook`, its program as found: the agent-tracker it starts (undefined when that cannot be told, or a package runner such as npx starts it). */
  readonly launch?: readonly string[]
  /** What is wrong with the options it gives `hook claude-code` (the hooks run with the defaults in their place); absent when nothing is. */
  readonly optionProblems?: readonly string[]
  /** True when `trouble` is in the command's own words (they would not reach `hook claude-code`): writing the command afresh is the fix, not installing agent-tracker. */
  readonly malformed?: true
  /** The `AGENT_TRACKER_DB` the command sets for agent-tracker (`AGENT_TRACKER_DB=… agent-tracker …`), as written: the hooks record there unless `--db` says otherwise. */
  readonly databaseVariable?: string
}

/**
 * Checks a hook command (`agent-tracker hook claude-code`, `'/usr/bin/node' '/…/agent-tracker.js' hook
 * claude-code --db '/…'`, `npx agent-tracker hook claude-code`): is its program on the PATH of
 * `env` (see `lastingSearchPath`), or an executable file where it names one; do the absolute paths
 * it names before `hook` (the CLI's bin script) still exist. A program given by a variable (`$X`)
 * cannot be told and counts as starting.
 */
export function checkHookCommand(command: string, options: { readonly env: Io['env']; readonly homeDir: string }): HookCommandCheck {
  const { words, hookAt, assignments } = hookCommandWords(command)
  const text = (word: ShellWord): string => (word.text === '~' || word.text.startsWith('~/') ? join(options.homeDir, word.text.slice(1)) : word.text)
  // The options as the hook reads them.
  const given = hookAt < 0 ? undefined : hookOptions(words.slice(hookAt + 1))
  const database = given?.flags.db
  const variable = databaseVariableOf(assignments, words)
  const found = {
    ...(database === undefined ? {} : { databasePath: database }),
    ...(variable === undefined ? {} : { databaseVariable: variable }),
    ...(given === undefined || given.problems.length === 0 ? {} : { optionProblems: given.problems }),
  }
  const [first, ...rest] = words
  if (first === undefined) return { ...found, trouble: 'it runs nothing' }
  // An earlier version wrote ` hook claude-code` for an empty --command: the shell would look for a program `hook`.
  if (hookAt === 0) return { ...found, trouble: 'it names no program before `hook claude-code`' }
  if (first.dynamic) return found
  const name = text(first)
  let program: string
  if (name.includes('/') || name.includes('\\')) {
    if (!isAbsolute(name)) return { ...found, program: name }
    if (!existsSync(name)) return { ...found, program: name, trouble: `${name} does not exist` }
    if (!isExecutableFile(name)) return { ...found, program: name, trouble: `${name} is not an executable file` }
    program = name
  } else {
    const onPath = findExecutable(name, options.env)
    if (onPath === undefined) return { ...found, trouble: `${name} is not on your PATH` }
    program = onPath
  }
  const before = rest.slice(0, hookAt < 0 ? undefined : hookAt - 1)
  // The files that start agent-tracker: the words up to the one naming it (the words after it are arguments to agent-tracker, such as a --db).
  const at = agentTrackerAt(words)
  const starts = at < 0 ? before.filter((word, index) => !word.text.startsWith('-') && before[index - 1]?.text.startsWith('--') !== true) : rest.slice(0, at)
  const gone = starts.filter((word) => !word.dynamic).map(text).find((path) => isAbsolute(path) && !existsSync(path))
  if (gone !== undefined) return { ...found, program, trouble: `${gone} does not exist` }
  const unreached = unreachedHook(words, hookAt, at)
  if (unreached !== undefined) return { ...found, program, trouble: unreached, malformed: true }
  const runsItself = hookAt >= 0 && !PACKAGE_RUNNERS.has(basename(name).replace(/\.(cmd|exe)$/i, '')) && before.every((word) => !word.dynamic)
  return { ...found, program, ...(runsItself ? { launch: [program, ...before.map(text)] } : {}) }
}

/** Programs that start a package's bin, fetching the package first when they must: what they start cannot be told from a path. */
const PACKAGE_RUNNERS: ReadonlySet<string> = new Set(['npx', 'pnpx', 'bunx', 'npm', 'pnpm', 'yarn', 'bun'])

/** The packages whose bin is agent-tracker's. */
const OUR_PACKAGES: ReadonlySet<string> = new Set(['@agent-tracker/cli', 'agent-tracker'])

/**
 * The version of the agent-tracker a hook command starts (see {@link HookCommandCheck.launch}), read
 * from the `package.json` of the package its bin script belongs to — the script found on PATH (links
 * followed) or named by absolute path after Node. Nothing is run: the command comes from a settings
 * file, which a cloned repository can hold. Undefined when it cannot be told (a wrapper script, a
 * relative path, anything not in one of agent-tracker's packages).
 */
function hookCommandVersion(check: HookCommandCheck): string | undefined {
  for (const word of check.launch ?? []) {
    if (!isAbsolute(word)) continue
    const version = packageVersionOf(word)
    if (version !== undefined) return version
  }
  return undefined
}

/** The version in the `package.json` of agent-tracker's package holding the file at `path` (links followed), at most a few folders up; undefined when there is none. */
function packageVersionOf(path: string): string | undefined {
  const file = realPath(path)
  if (file === undefined) return undefined
  const manifest = nearestManifest(file, 4)
  return typeof manifest?.name === 'string' && OUR_PACKAGES.has(manifest.name) && typeof manifest.version === 'string' && /^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.test(manifest.version) ? manifest.version : undefined
}

/**
 * What ties a hook command to this machine, as written: an absolute path it names before `hook`
 * (a Node binary, a bin script), or the `--db` it passes (the hooks resolve it against the
 * project, so it names one database of this machine's). Undefined for a command that runs the same
 * everywhere (`agent-tracker hook claude-code`, `npx agent-tracker hook claude-code`).
 */
export function machineSpecificPart(command: string): string | undefined {
  const { words, hookAt } = hookCommandWords(command)
  const path = words.slice(0, hookAt < 0 ? undefined : hookAt).find((word) => !word.dynamic && (isAbsolute(word.text) || word.text.startsWith('~/')))
  if (path !== undefined) return path.text
  return hookAt >= 0 && words.slice(hookAt).some((word) => word.text === '--db' || word.text.startsWith('--db=')) ? '--db' : undefined
}

/**
 * Why the words of a hook command would not reach agent-tracker's `hook claude-code`, or
 * undefined: given the place of the word that starts agent-tracker (`at`, -1 for a wrapper), words
 * between it and `hook` (an option such as `--db /x.lmdb`: agent-tracker refuses it, a usage error,
 * before any hook runs), a misspelled command in the place of `hook`, or `hook` for another host;
 * for a wrapper, a `--db` before `hook`, which only agent-tracker takes.
 */
function unreachedHook(words: readonly ShellWord[], hookAt: number, at: number): string | undefined {
  const shown = (from: number, to?: number): string => words.slice(from, to).map((word) => word.raw).join(' ')
  if (at >= 0 && hookAt > at + 1) return `\`${shown(at + 1, hookAt)}\` comes between agent-tracker and \`hook claude-code\`, where agent-tracker refuses it before the hook runs (options of the hook go after \`hook claude-code\`)`
  if (at >= 0 && hookAt < 0) {
    const next = words[at + 1]
    if (next === undefined) return 'it runs agent-tracker without `hook claude-code`, so no hook is handled'
    if (next.text === 'hook') return `it runs \`hook ${words[at + 2]?.raw ?? ''}\`, but agent-tracker's hook serves claude-code: \`hook claude-code\``
    if (next.text.startsWith('-')) return `\`${shown(at + 1)}\` comes after agent-tracker where \`hook claude-code\` should, and agent-tracker refuses it before any hook runs`
    return `\`${next.raw}\` stands where \`hook claude-code\` should, so agent-tracker handles no hook event (a word that is none of its commands, it refuses before any hook runs)`
  }
  if (at < 0 && hookAt > 0) {
    const database = words.slice(1, hookAt).find((word) => word.text === '--db' || word.text.startsWith('--db='))
    if (database !== undefined) return `\`${database.raw}\` comes before \`hook claude-code\`, where agent-tracker refuses it before the hook runs (the hook's --db goes after \`hook claude-code\`)`
  }
  return undefined
}

/** The words of a hook command's first command, and where its `hook claude-code` starts (-1 when it has none). */
function hookOptions(words: readonly ShellWord[]): ReadHookFlags | undefined {
  try {
    return readHookFlags(words.map((word) => word.text))
  } catch {
    return undefined
  }
}

function hookCommandWords(command: string): { readonly words: readonly ShellWord[]; readonly hookAt: number; readonly assignments: readonly ShellWord[] } {
  const first = parseShell(command).commands.find((entry) => entry.depth === 0)
  const words = first?.words ?? []
  return { words, hookAt: words.findIndex((word, index) => word.text === 'hook' && words[index + 1]?.text === 'claude-code'), assignments: first?.assignments ?? [] }
}

/** What an older agent-tracker in the hooks means: said by `doctor` and by `hooks install`. */
export const OLDER_HOOKS = 'an older agent-tracker cannot open a database a newer one has upgraded, and then every hook fails without a word'

/** The version of the agent-tracker a hook command starts when it is not `ours` (see {@link hookCommandVersion}: read from files, never run), and whether it is older. */
export function otherVersion(check: HookCommandCheck, ours: string): { readonly version: string; readonly older: boolean } | undefined {
  const version = hookCommandVersion(check)
  return version === undefined || version === ours ? undefined : { version, older: compareVersions(version, ours) < 0 }
}

/** Orders two versions `major.minor.patch[-pre]` by their numbers (a pre-release part is not weighed). */
function compareVersions(a: string, b: string): number {
  const parts = (version: string): number[] => (version.split(/[-+]/)[0] ?? '').split('.').map(Number)
  const [x, y] = [parts(a), parts(b)]
  for (let index = 0; index < 3; index++) {
    const difference = (x[index] ?? 0) - (y[index] ?? 0)
    if (difference !== 0) return difference
  }
  return 0
}
