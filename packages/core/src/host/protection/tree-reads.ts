import { gitArguments } from '../git-command.js'
import { commandOperands } from './command-operands.js'
import { globMatcher } from './glob-matcher.js'
import type { RunCommand } from '../shell/commands-run.js'
import type { ShellWord } from '../shell/parse-shell.js'

/**
 * What a command reads of whole folders: the folders (as written), and the filters that narrow
 * which files in them are read. `hidden` false when the program skips dotfiles (ripgrep and
 * ag without `--hidden`).
 */
export interface TreeRead {
  readonly trees: readonly string[]
  /** Files are read only when they match one of these (none: every file). */
  readonly include: readonly FileFilter[]
  /** Files matching any of these are not read. */
  readonly exclude: readonly FileFilter[]
  readonly hidden: boolean
  /** The flag that excludes a file, for the block message: `--exclude=` and the like. */
  readonly fix: (name: string) => string
  /** Filters are unknown (read from a file): none can be relied on. */
  readonly opaqueFilters?: boolean
}

/** A file filter: true for a path (relative to the tree) and file name it matches. */
export type FileFilter = (relativePath: string, name: string) => boolean

const GREPS = /^(?:grep|egrep|fgrep|zgrep|rgrep)$/
const COPY_RECURSIVE = /^(?:-[A-Za-z]*[rRa][A-Za-z]*|--recursive|--archive)$/

/** The folders a program reads the files of, with its filters; undefined for a program that reads no folder whole. */
export function treeReadOf(run: RunCommand): TreeRead | undefined {
  const args = run.args
  const text = args.map((arg) => arg.text)
  switch (true) {
    case GREPS.test(run.name): {
      const recursive = run.name === 'rgrep' || text.some((arg) => /^-[A-Za-z]*[rR][A-Za-z]*$/.test(arg) && !arg.startsWith('--')) || text.some((arg) => /^--(?:recursive|dereference-recursive|directories=recurse)$/.test(arg)) || pairValue(text, '-d') === 'recurse'
      if (!recursive) return undefined
      const operands = grepOperands(args, new Set(['-e', '-f', '-m', '-A', '-B', '-C', '-d', '-D', '--regexp', '--file', '--max-count', '--context', '--label', '--color', '--colour']))
      return {
        trees: operands.length === 0 ? ['.'] : operands,
        include: longValues(text, '--include').map((glob) => nameGlob(glob)),
        exclude: [...longValues(text, '--exclude').map((glob) => nameGlob(glob)), ...longValues(text, '--exclude-dir').map(folderGlob)],
        hidden: true,
        fix: (name) => `--exclude='${name}'`,
        opaqueFilters: text.some((arg) => arg.startsWith('--exclude-from')),
      }
    }
    case run.name === 'rg' || run.name === 'ag' || run.name === 'ack' || run.name === 'pt': {
      const hidden = run.name === 'ack' || text.some((arg) => /^(?:--hidden|-\.|-uu+|--unrestricted)$/.test(arg) || /^-[A-Za-z]*u[A-Za-z]*u/.test(arg)) || (run.name === 'ag' && text.some((arg) => arg === '-u'))
      const operands = grepOperands(args, new Set(['-e', '-f', '-g', '--glob', '--iglob', '-t', '--type', '-T', '--type-not', '-m', '-A', '-B', '-C', '-j', '-M', '-r', '--replace', '-E', '--encoding', '--max-count', '--context', '--type-add', '-G', '--file-search-regex', '--ignore', '--ignore-dir', '--pre', '--pre-glob', '--max-depth', '-d', '--sort', '--sortr', '--color', '--colors', '--path-separator']))
      const globs = [...pairValues(text, '-g'), ...longValues(text, '--glob'), ...longValues(text, '--iglob')]
      const types = [...pairValues(text, '-t'), ...longValues(text, '--type')]
      const searchRegex = [...pairValues(text, '-G'), ...longValues(text, '--file-search-regex')].map(regexFilter)
      return {
        trees: operands.length === 0 ? ['.'] : operands,
        // A type (`-t ts`) reads only its extensions, which name no protected file by default.
        include: [...globs.filter((glob) => !glob.startsWith('!')).map(rgGlob), ...(types.length > 0 ? [() => false] : []), ...searchRegex],
        exclude: [...globs.filter((glob) => glob.startsWith('!')).map((glob) => rgGlob(glob.slice(1))), ...[...longValues(text, '--ignore'), ...pairValues(text, '--ignore')].map((glob) => nameGlob(glob))],
        hidden,
        fix: (name) => (run.name === 'rg' ? `-g '!${name}'` : `--ignore '${name}'`),
      }
    }
    case run.name === 'git':
      return gitTreeRead(args)
    case run.name === 'tar' || run.name === 'bsdtar' || run.name === 'gtar':
      return tarRead(text)
    case run.name === 'zip' && text.some((arg) => /^(?:-[A-Za-z]*r[A-Za-z]*|-R|--recurse-paths)$/.test(arg)): {
      const xIndex = text.findIndex((arg) => arg === '-x' || arg === '--exclude')
      const operands = text.slice(0, xIndex === -1 ? text.length : xIndex).filter((arg) => !arg.startsWith('-'))
      const excluded = xIndex === -1 ? [] : text.slice(xIndex + 1).filter((arg) => !arg.startsWith('-'))
      return { trees: operands.slice(1), include: [], exclude: excluded.map(pathOrNameGlob), hidden: true, fix: (name) => `-x '${name}'` }
    }
    case (run.name === '7z' || run.name === '7za' || run.name === 'rar') && text[0] === 'a':
      return { trees: text.slice(2).filter((arg) => !arg.startsWith('-')), include: [], exclude: text.filter((arg) => arg.startsWith('-x!') || arg.startsWith('-xr!')).map((arg) => nameGlob(arg.replace(/^-xr?!/, ''))), hidden: true, fix: (name) => `-xr!${name}` }
    case (run.name === 'cp' || run.name === 'scp') && text.some((arg) => COPY_RECURSIVE.test(arg)): {
      const operands = text.filter((arg) => !arg.startsWith('-'))
      const target = pairValue(text, '-t') ?? longValues(text, '--target-directory')[0]
      return { trees: target === undefined ? operands.slice(0, -1) : operands.filter((operand) => operand !== target), include: [], exclude: [], hidden: true, fix: () => `rsync -a --exclude=<name> instead, or copy the files you need by name` }
    }
    case run.name === 'rsync' && text.some((arg) => COPY_RECURSIVE.test(arg)): {
      const operands = text.filter((arg, index) => !arg.startsWith('-') && !['--exclude', '--include', '-e', '--rsh', '--filter', '-f'].includes(text[index - 1] ?? ''))
      return {
        trees: operands.slice(0, -1),
        include: [],
        exclude: [...longValues(text, '--exclude'), ...pairValues(text, '--exclude')].map(pathOrNameGlob),
        hidden: true,
        fix: (name) => `--exclude='${name}'`,
        opaqueFilters: text.some((arg) => arg.startsWith('--exclude-from') || arg.startsWith('--filter') || arg === '-f' || arg === '-F'),
      }
    }
    case run.name === 'diff' && text.some((arg) => /^(?:-[A-Za-z]*r[A-Za-z]*|--recursive)$/.test(arg)):
      return { trees: text.filter((arg) => !arg.startsWith('-')), include: [], exclude: [...longValues(text, '--exclude'), ...pairValues(text, '-x')].map((glob) => nameGlob(glob)), hidden: true, fix: (name) => `--exclude='${name}'` }
    default:
      return undefined
  }
}

/**
 * What a git command reads of whole folders, read past git's own options (`git -C sub stash -u`,
 * `git -c core.x=y add -f .`, `git --no-pager grep --no-index`): `grep --no-index`/`--untracked`,
 * `diff --no-index`, `stash -u`/`-a` and `add -f`. Its trees are relative to the folder its `-C`
 * options lead to, each relative to the one before.
 */
function gitTreeRead(args: readonly ShellWord[]): TreeRead | undefined {
  const git = gitArguments(args)
  const read = gitSubcommandRead(git.subcommand, git.args.map((arg) => arg.text))
  if (read === undefined || git.folders.length === 0) return read
  const folder = git.folders.reduce((before, next) => (next.text.startsWith('/') || before === '.' ? next.text : `${before}/${next.text}`), '.')
  return { ...read, trees: read.trees.map((tree) => (tree.startsWith('/') ? tree : tree === '.' ? folder : `${folder}/${tree}`)) }
}

/** What a git subcommand with its arguments `text` reads of whole folders (see {@link gitTreeRead}). */
function gitSubcommandRead(subcommand: string | undefined, text: readonly string[]): TreeRead | undefined {
  switch (true) {
    case subcommand === 'grep' && text.some((arg) => arg === '--no-index' || arg === '--untracked'): {
      const operands = grepOperands(text.map((arg) => ({ text: arg })), new Set(['-e', '-f', '-m', '-A', '-B', '-C', '--max-depth', '--threads', '-O', '--open-files-in-pager']))
      const paths = operands.filter((operand) => !/^:(?:!|\^|\(exclude\))/.test(operand))
      const excluded = operands.filter((operand) => /^:(?:!|\^|\(exclude\))/.test(operand)).map((operand) => operand.replace(/^:(?:!|\^|\(exclude\))/, ''))
      return { trees: paths.length === 0 ? ['.'] : paths, include: [], exclude: excluded.map(pathOrNameGlob), hidden: true, fix: (name) => `':!${name}'` }
    }
    case subcommand === 'diff' && text.includes('--no-index'):
      return { trees: text.filter((arg) => !arg.startsWith('-')), include: [], exclude: [], hidden: true, fix: () => 'compare the files you need by name' }
    case subcommand === 'stash' && text.some((arg) => /^(?:-[A-Za-z]*[ua][A-Za-z]*|--include-untracked|--all)$/.test(arg)): {
      const separator = text.indexOf('--')
      const paths = separator === -1 ? [] : text.slice(separator + 1)
      return { trees: paths.length === 0 ? ['.'] : paths, include: [], exclude: [], hidden: true, fix: () => 'stash without -u/-a, or name the paths to stash' }
    }
    case subcommand === 'add' && text.some((arg) => /^(?:-[A-Za-z]*f[A-Za-z]*|--force)$/.test(arg)):
      return { trees: text.filter((arg) => !arg.startsWith('-')), include: [], exclude: [], hidden: true, fix: () => 'add the files you need by name, without -f' }
    default:
      return undefined
  }
}

/** The tree `find` walks and the name filters it applies (`-name`, `-iname`, `-path`; negated by `!`/`-not`). */
export function findTrees(run: RunCommand): TreeRead {
  const text = run.args.map((arg) => arg.text)
  const firstExpression = text.findIndex((arg) => arg.startsWith('-') || arg === '(' || arg === '!')
  const trees = text.slice(0, firstExpression === -1 ? text.length : firstExpression)
  const include: FileFilter[] = []
  const exclude: FileFilter[] = []
  text.forEach((arg, index) => {
    const value = text[index + 1]
    if (value === undefined || !/^-(?:name|iname|path|wholename|ipath|regex|iregex)$/.test(arg)) return
    const negated = text[index - 1] === '!' || text[index - 1] === '-not'
    const filter = arg.includes('regex') ? regexFilter(value) : /path|wholename/.test(arg) ? pathOrNameGlob(value) : nameGlob(value, arg === '-iname')
    ;(negated ? exclude : include).push(filter)
  })
  // `-prune` after a filter drops what it matches.
  text.forEach((arg, index) => {
    if (arg === '-prune' && /^-(?:name|path)$/.test(text[index - 2] ?? '')) exclude.push(pathOrNameGlob(text[index - 1] ?? ''))
  })
  return { trees: trees.length === 0 ? ['.'] : trees, include, exclude, hidden: true, fix: (name) => `-not -name '${name}'` }
}

function tarRead(text: readonly string[]): TreeRead | undefined {
  const first = text[0] ?? ''
  const bundle = !first.startsWith('-') ? first : /^-[A-Za-z]+$/.test(first) ? first.slice(1) : ''
  const creates = /[cru]/.test(bundle) || text.some((arg) => /^--(?:create|append|update)$/.test(arg))
  if (!creates) return undefined
  // Letters of a bundle that take a value, in order, from the words after it.
  const valueLetters = Array.from(bundle).filter((letter) => 'fCTXbKNgLVH'.includes(letter)).length
  const operands: string[] = []
  let index = bundle === '' ? 0 : 1 + valueLetters
  while (index < text.length) {
    const arg = text[index] ?? ''
    if (/^-(?:f|C|T|X|b|K|N|g|L|V|H)$|^--(?:file|directory|files-from|exclude-from|exclude|label|newer|owner|group|mode|transform|use-compress-program)$/.test(arg)) index += 2
    else {
      if (!arg.startsWith('-')) operands.push(arg)
      index += 1
    }
  }
  return {
    trees: operands,
    include: [],
    exclude: [...longValues(text, '--exclude'), ...pairValues(text, '--exclude')].map(pathOrNameGlob),
    hidden: true,
    fix: (name) => `--exclude='${name}'`,
    opaqueFilters: text.some((arg) => arg.startsWith('--exclude-from') || arg === '-X' || /^-?[A-Za-z]*X/.test(bundle)),
  }
}

/** The file operands of a grep-like program: the words after the pattern, skipping options and their values. */
function grepOperands(args: readonly { readonly text: string }[], withValue: ReadonlySet<string>): string[] {
  const patternGiven = args.some(({ text }) => /^(?:-e|-f|--regexp|--file)(?:=|$)/.test(text) || /^-[A-Za-z]*[ef]$/.test(text))
  const words = commandOperands(args, (option) => withValue.has(option)).map((word) => word.text)
  return patternGiven ? words : words.slice(1)
}

function pairValue(text: readonly string[], option: string): string | undefined {
  return pairValues(text, option)[0]
}

function pairValues(text: readonly string[], option: string): string[] {
  return text.flatMap((arg, index) => (arg === option && text[index + 1] !== undefined ? [text[index + 1] ?? ''] : []))
}

/** Values of `--option=value` (and `--option value`). */
function longValues(text: readonly string[], option: string): string[] {
  return [...text.flatMap((arg) => (arg.startsWith(`${option}=`) ? [arg.slice(option.length + 1)] : [])), ...(option.startsWith('--') ? pairValues(text, option) : [])]
}

/** A glob over file names, matching leading dots as `fnmatch` without `FNM_PERIOD` does. */
function nameGlob(glob: string, ignoreCase = false): FileFilter {
  const match = globMatcher(glob, { dotWildcards: true, ignoreCase })
  return (_path, name) => match(name)
}

/** A folder name glob: excludes files under such a folder. */
function folderGlob(glob: string): FileFilter {
  const match = globMatcher(glob, { dotWildcards: true })
  return (path) => path.split('/').slice(0, -1).some((folder) => match(folder))
}

/**
 * ripgrep's `--glob`: without a `/` it matches a file name at any depth, with one the path from
 * the searched folder; `*` and `?` match a leading dot; `{a,b}`, `[…]` and `**` as in ripgrep.
 */
export function rgGlob(glob: string): FileFilter {
  const anchored = glob.includes('/') && !glob.startsWith('**/')
  const match = globMatcher(glob.replace(/^\//, ''), { dotWildcards: true, basename: !glob.includes('/') })
  return (path, name) => (anchored ? match(path) : match(path) || match(name))
}

/** A glob that matches names, or paths when it holds a `/`, at any depth (tar, rsync, zip, pathspecs). */
function pathOrNameGlob(glob: string): FileFilter {
  const cleaned = glob.replace(/^\.\//, '').replace(/\/+$/, '')
  const match = globMatcher(cleaned.includes('/') ? `**/${cleaned.replace(/^\//, '')}` : cleaned, { dotWildcards: true })
  return (path, name) => match(name) || match(path) || path.split('/').some((part) => match(part))
}

function regexFilter(pattern: string): FileFilter {
  try {
    const regex = new RegExp(pattern)
    return (path) => regex.test(path)
  } catch {
    return () => true
  }
}
