import { existsSync } from 'node:fs'
import { isAbsolute, join } from 'node:path'
import type { ShellWord } from '@agent-tracker/core/host'
import { parseShell } from '@agent-tracker/core/host'
import { findExecutable, isExecutableFile } from './find-executable.js'
import type { Io } from '../io.js'

/** What a hook command would do when the agent host runs it, as far as can be told without running it. */
export interface HookCommandCheck {
  /** Why it would fail before agent-tracker starts (its program not found, a file it names gone); undefined when it would start. */
  readonly trouble?: string
  /** The program it starts, as found: a file on PATH, or the path it names. */
  readonly program?: string
  /** The `--db` it passes to `hook claude-code`, as written. */
  readonly databasePath?: string
}

/**
 * Checks a hook command (`agent-tracker hook claude-code`, `'/usr/bin/node' '/…/agent-tracker.js' hook
 * claude-code --db '/…'`, `npx agent-tracker hook claude-code`): is its program on the PATH of
 * `env` (see `lastingSearchPath`), or an executable file where it names one; do the absolute paths
 * it names before `hook` (the CLI's bin script) still exist. A program given by a variable (`$X`)
 * cannot be told and counts as starting.
 */
export function checkHookCommand(command: string, options: { readonly env: Io['env']; readonly homeDir: string }): HookCommandCheck {
  const { words, hookAt } = hookCommandWords(command)
  const text = (word: ShellWord): string => (word.text === '~' || word.text.startsWith('~/') ? join(options.homeDir, word.text.slice(1)) : word.text)
  const dbAt = hookAt < 0 ? -1 : words.findIndex((word, index) => index > hookAt && word.text === '--db')
  const database = dbAt < 0 ? undefined : words[dbAt + 1]?.text
  const found = { ...(database === undefined ? {} : { databasePath: database }) }
  const [first, ...rest] = words
  if (first === undefined) return { ...found, trouble: 'it runs nothing' }
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
  const gone = rest.slice(0, hookAt < 0 ? undefined : hookAt - 1).filter((word) => !word.dynamic).map(text).find((path) => isAbsolute(path) && !existsSync(path))
  return gone === undefined ? { ...found, program } : { ...found, program, trouble: `${gone} does not exist` }
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

/** The words of a hook command's first command, and where its `hook claude-code` starts (-1 when it has none). */
function hookCommandWords(command: string): { readonly words: readonly ShellWord[]; readonly hookAt: number } {
  const words = parseShell(command).commands.find((entry) => entry.depth === 0)?.words ?? []
  return { words, hookAt: words.findIndex((word, index) => word.text === 'hook' && words[index + 1]?.text === 'claude-code') }
}
