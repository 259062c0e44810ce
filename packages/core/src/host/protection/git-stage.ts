import { gitArguments } from '../git-command.js'
import { commandOperands } from './command-operands.js'
import type { RunCommand } from '../shell/commands-run.js'
import { baseName, relativeTo, resolvePath } from './paths.js'
import type { GuardContext, SecretAccess } from './secret-access.js'

/**
 * What a `git add` or `git commit` stages of whole folders: the folders (absolute; undefined for
 * the whole work tree) and whether only files git already tracks are staged (`git add -u`,
 * `git commit -a`) or untracked ones too (`git add -A`, `git add .`, `git add <folder>`).
 */
interface GitStage {
  readonly folders: readonly string[] | undefined
  readonly trackedOnly: boolean
  /** The command as the message names it: `git add -A`, `git commit -a`. */
  readonly command: string
}

/** Options of `git commit` that take the next word as their value (a message, an author, a commit). */
const COMMIT_VALUE_OPTIONS = new Set(['-m', '--message', '-F', '--file', '-C', '--reuse-message', '-c', '--reedit-message', '--author', '--date', '-t', '--template', '--fixup', '--squash', '--trailer', '--cleanup', '-S', '--pathspec-from-file'])
/** Letters of a `git commit` option bundle that take the next word as their value (`-am <message>`). */
const COMMIT_VALUE_LETTERS = /[mFCct]$/

/**
 * How a `git add` of a whole tree or folder (`-A`, `--all`, `-u`, `.`, a folder, a glob) or a
 * `git commit -a` would put a protected file into the repository — one git neither ignores nor
 * already tracks unchanged — or undefined when it would not. Once committed, `git show`,
 * `git log -p` and `git diff HEAD~1` print the file to the model, and it stays in the history.
 * Such a command is common and harmless where `.env` is ignored, as it is in most repositories:
 * only the lookup's answer from git (`stagedByGit`) refuses it, for the protected files the
 * lookup knows under the folders staged. Without that answer (no lookup, not a repository, git
 * not found) it is let through, as every such command in every repository would be refused.
 * (`git add -f` and `git stash -u` read folders whole and are judged with the other tree reads.)
 */
export function gitStageAccess(run: RunCommand, context: GuardContext): SecretAccess | undefined {
  if (run.name !== 'git' || context.lookup?.stagedByGit === undefined) return undefined
  const git = gitArguments(run.args)
  // Another work tree or repository than the folder's: not one the lookup can judge.
  if (git.elsewhere || git.subcommand === undefined) return undefined
  // Each -C names a folder relative to the one before.
  const cwd = git.folders.reduce<string | undefined>((folder, next) => resolvePath(folder, next.text), context.cwd)
  if (cwd === undefined) return undefined
  const stage = gitStageOf([{ text: git.subcommand, glob: false }, ...git.args.map((arg) => ({ text: arg.text, glob: arg.glob }))], cwd)
  if (stage === undefined) return undefined
  const candidates = stage.folders === undefined ? 'all' : [...new Set(stage.folders.flatMap((folder) => context.lookup?.filesUnder(folder) ?? []))]
  if (candidates !== 'all' && candidates.length === 0) return undefined
  const staged = context.lookup.stagedByGit(cwd, candidates, stage.trackedOnly) ?? []
  const [first] = staged
  if (first === undefined) return undefined
  const file = relativeTo(cwd, first.file) ?? first.file
  const name = baseName(file)
  const more = staged.length > 1 ? ` and ${String(staged.length - 1)} other protected file${staged.length === 2 ? '' : 's'}` : ''
  return {
    file,
    what: `would stage ${file}${more} (a protected file ${first.tracked ? 'git tracks, with changes' : 'git does not ignore'}) with ${stage.command}: once committed, git show, git log -p and git diff print it, and it stays in the history`,
    fix: first.tracked
      ? `Stage the files you need by name (git add <file>…) and commit without -a or folders; to stop tracking it, the user can run git rm --cached ${file} and add ${name} to .gitignore.`
      : `Add ${name} to .gitignore (echo '${name}' >> .gitignore), or add the other files by name (git add <file>…).`,
  }
}

/** What a git command line stages of whole folders (see {@link GitStage}); undefined when it stages none, or is no `add` or `commit`. */
function gitStageOf(words: readonly { text: string; glob: boolean }[], cwd: string): GitStage | undefined {
  const text = words.map((word) => word.text)
  const sub = text[0]
  if (sub === 'add') {
    const options = optionsBefore(text.slice(1))
    // A dry run stages nothing; -f is a tree read of its own; -p and -i stage what the user picks.
    if (options.some((option) => /^(?:-[A-Za-z]*[nfpie][A-Za-z]*|--dry-run|--force|--patch|--interactive|--edit|--pathspec-from-file(?:=.*)?)$/.test(option))) return undefined
    const all = options.some((option) => /^(?:-[A-Za-z]*A[A-Za-z]*|--all|--no-ignore-removal)$/.test(option))
    const update = !all && options.some((option) => /^(?:-[A-Za-z]*u[A-Za-z]*|--update)$/.test(option))
    const paths = pathsOf(words.slice(1), new Set(['--chmod']))
    if (paths.length === 0) return all || update ? { folders: undefined, trackedOnly: update, command: `git add ${all ? '-A' : '-u'}` } : undefined
    const folders = foldersOf(paths, cwd)
    return folders.length === 0 ? undefined : { folders, trackedOnly: update, command: `git add ${text.slice(1).join(' ')}` }
  }
  if (sub === 'commit') {
    const options = optionsBefore(text.slice(1), COMMIT_VALUE_OPTIONS, COMMIT_VALUE_LETTERS)
    if (options.some((option) => /^(?:--dry-run|-[A-Za-z]*p[A-Za-z]*|--patch|--interactive)$/.test(option))) return undefined
    const all = options.some((option) => /^(?:-[A-Za-z]*a[A-Za-z]*|--all)$/.test(option))
    const paths = pathsOf(words.slice(1), COMMIT_VALUE_OPTIONS, COMMIT_VALUE_LETTERS)
    // `git commit <paths>` commits the tracked files' changes there, as -a does for the whole tree.
    if (paths.length > 0) {
      const folders = foldersOf(paths, cwd)
      return folders.length === 0 ? undefined : { folders, trackedOnly: true, command: `git commit ${paths.map((path) => path.text).join(' ')}` }
    }
    return all ? { folders: undefined, trackedOnly: true, command: 'git commit -a' } : undefined
  }
  return undefined
}

/** The options of a command's words (up to `--`), without the values of those that take one. */
function optionsBefore(words: readonly string[], withValue: ReadonlySet<string> = new Set(), valueLetters?: RegExp): string[] {
  const options: string[] = []
  for (let index = 0; index < words.length; index++) {
    const word = words[index] ?? ''
    if (word === '--') break
    if (!word.startsWith('-') || word === '-') continue
    options.push(word)
    if (takesValue(word, withValue, valueLetters)) index++
  }
  return options
}

/** The pathspecs of a command's words: its operands, and every word after `--`. */
function pathsOf(words: readonly { text: string; glob: boolean }[], withValue: ReadonlySet<string>, valueLetters?: RegExp): { text: string; glob: boolean }[] {
  return commandOperands(words, (option) => takesValue(option, withValue, valueLetters))
}

function takesValue(word: string, withValue: ReadonlySet<string>, valueLetters: RegExp | undefined): boolean {
  if (withValue.has(word)) return true
  return valueLetters !== undefined && /^-[A-Za-z]+$/.test(word) && valueLetters.test(word)
}

/**
 * The folders pathspecs stage the files of, absolute: a path is its own folder (a file names no
 * protected file under it; one naming a protected file is judged as a file given), a glob (the
 * shell's or git's: `*`, `'*.ts'`, `:(glob)…`) the folder its fixed part names, and pathspec magic
 * (`:/`) the work tree's top, taken as the working folder's.
 */
function foldersOf(paths: readonly { text: string; glob: boolean }[], cwd: string): string[] {
  return paths.flatMap(({ text, glob }) => {
    if (text.startsWith(':')) {
      // `:/` and `:(top)` start at the work tree's top; other magic is read from the working folder.
      const rest = text.replace(/^:(?:\([^)]*\)|[/!^]*)/, '')
      return [resolvePath(cwd, folderPart(rest, true)) ?? cwd]
    }
    const folder = resolvePath(cwd, folderPart(text, glob || /[*?[]/.test(text)))
    return folder === undefined ? [] : [folder]
  })
}

/** The part of a pathspec before its first wildcard's segment (`src/*.ts` → `src`), or all of it. */
function folderPart(path: string, glob: boolean): string {
  if (!glob) return path === '' ? '.' : path
  const wildcard = path.search(/[*?[]/)
  if (wildcard === -1) return path === '' ? '.' : path
  const slash = path.lastIndexOf('/', wildcard)
  return slash <= 0 ? (slash === 0 ? '/' : '.') : path.slice(0, slash)
}
