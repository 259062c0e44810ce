import type { ShellWord } from './shell/parse-shell.js'

/** git's options before its subcommand that take the next word as their value. */
const GIT_OPTIONS_WITH_VALUE = new Set(['-C', '-c', '--git-dir', '--work-tree', '--namespace', '--super-prefix', '--config-env'])

/** A git command's words read past git's own options: its subcommand, the words after it, and the folders its `-C` options name, in order. */
export interface GitCommand {
  readonly subcommand: string | undefined
  readonly args: readonly ShellWord[]
  readonly folders: readonly ShellWord[]
  /** Whether `--git-dir` or `--work-tree` points it at another repository or work tree than its folder's. */
  readonly elsewhere: boolean
}

/**
 * Reads a simple command's words as git's, if its program is git whatever its folder
 * (`/usr/bin/git`): see {@link gitArguments}.
 */
export function gitCommand(words: readonly ShellWord[]): GitCommand | undefined {
  if (!/(?:^|\/)git$/.test(words[0]?.text ?? '')) return undefined
  return gitArguments(words.slice(1))
}

/**
 * Reads git's arguments (the words after its program): its own options before the subcommand
 * (`-C dir`, `-Cdir`, `-c name=value`, `-P`, `--no-pager`, `--git-dir .git`) are stepped over, each
 * `-C` folder kept.
 */
export function gitArguments(args: readonly ShellWord[]): GitCommand {
  const folders: ShellWord[] = []
  let elsewhere = false
  let at = 0
  for (; at < args.length && (args[at]?.text ?? '').startsWith('-'); at++) {
    const word = args[at]
    const option = word?.text ?? ''
    if (/^--(?:git-dir|work-tree)(?:=|$)/.test(option)) elsewhere = true
    if (option === '-C') {
      const folder = args[++at]
      if (folder !== undefined) folders.push(folder)
    } else if (word !== undefined && option.startsWith('-C')) folders.push({ ...word, text: option.slice(2), raw: word.raw.slice(2) })
    else if (GIT_OPTIONS_WITH_VALUE.has(option)) at++
  }
  return { subcommand: args[at]?.text, args: args.slice(at + 1), folders, elsewhere }
}
