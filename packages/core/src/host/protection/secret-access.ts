import { globMatcher } from './glob-matcher.js'
import type { RunCommand } from '../shell/commands-run.js'
import { commandsRun } from '../shell/commands-run.js'
import type { ShellWord } from '../shell/parse-shell.js'
import { codeTokens, inlineCodeOf, loadsEnvFiles } from './interpreter-code.js'
import { baseName, relativeTo, resolvePath } from './paths.js'
import type { ProtectedFiles } from './protected-files.js'
import { DEFAULT_PROTECTION, isProtectedFile, protectedNameMatching } from './protected-files.js'
import type { TreeRead } from './tree-reads.js'
import { findTrees, rgGlob, treeReadOf } from './tree-reads.js'
import { commonNames } from './name-globs.js'

/** Where the protected files are: the host's cheap, cached view of the project (see the Node kit's `ProtectedFileIndex`). */
export interface ProtectedFileLookup {
  /** The protected files under an absolute folder, as absolute paths; undefined when it cannot say (outside the project). */
  filesUnder(folder: string): readonly string[] | undefined
}

/** What the secret guard knows besides the tool call. */
export interface SecretGuardContext {
  /** Which files are protected; default `.env` and `.env.*` but the templates. */
  readonly protection?: ProtectedFiles | undefined
  /** The absolute folder relative paths start from (a bash call's working folder). */
  readonly cwd?: string | undefined
  /** Which protected files a folder holds. Without it every folder is taken to hold some. */
  readonly lookup?: ProtectedFileLookup | undefined
}

/** How a tool call would reach a protected file. */
export interface SecretAccess {
  /** The protected file (or, for a folder not looked into, the pattern it may hold), as the message shows it. */
  readonly file: string
  /** What the call does, completing "it …": `touches .env, a protected file`. */
  readonly what: string
  /** How to do it without the protected file, when there is a way. */
  readonly fix?: string
}

/** Programs that read no file they are given: they list, test or name files, or print their words. */
const READS_NOTHING = new Set(['ls', 'dir', 'stat', 'test', '[', '[[', 'file', 'touch', 'mkdir', 'rmdir', 'du', 'df', 'wc', 'basename', 'dirname', 'realpath', 'readlink', 'echo', 'printf', 'type', 'which', 'whereis', 'true', 'false', 'cd', 'pushd', 'popd', 'export', 'unset', 'set', 'shopt', 'setopt', 'sleep', 'chmod', 'chown', 'tree'])
const GIT_READS_NOTHING = new Set(['check-ignore', 'ls-files', 'status', 'rm', 'mv'])
const GREPS = /^(?:grep|egrep|fgrep|zgrep|rgrep|rg|ag|ack|pt)$/
const FILTER_OPTIONS = /^(?:--exclude|--include|--exclude-dir|--glob|--iglob|--ignore|--ignore-dir)$/
/** Options of grep-like programs that take a value, skipped on the way to the pattern. */
const GREP_VALUE_OPTIONS = /^(?:-m|-A|-B|-C|-d|-D|-t|-T|-j|-M|-E|--max-count|--context|--after-context|--before-context|--type|--type-not|--threads|--max-columns|--encoding|--color|--colour|--label)$/
const FILE_REDIRECTS = new Set(['<', '>', '>>', '<>', '>|', '&>', '&>>'])
const MAX_NESTING = 4

/**
 * How a tool call would read (or write) a protected file, or undefined when it would not. Judged
 * by what the call reads, not by a name appearing in it:
 * - bash: files its programs are given (arguments, redirections; `echo`, `ls`, `test`, a commit
 *   message, a grep pattern read nothing), folders read whole (`grep -r`, `rg`, `ag`,
 *   `git grep --no-index`, `tar c`, `zip -r`, `cp -r`, `rsync -a`, `diff -r`, `git stash -u`,
 *   `find -exec`) that hold protected files their filters let through, loops and `xargs` that read
 *   what a listing of hidden files gives them, and interpreter code (`python -c`, `node -e`, …,
 *   and code piped or here-documented into an interpreter or a shell) that names a protected file
 *   or loads `.env` files;
 * - grep: its folder, with its `include` read as ripgrep reads globs (`*` matches `.env`);
 * - glob, read, edit, write, patches and any other tool: the paths they are given.
 * Tool names are matched without regard to case (OpenCode's `bash`, Claude Code's `Bash`).
 */
export function secretAccessIn(tool: string, args: unknown, context: SecretGuardContext = {}): SecretAccess | undefined {
  const fields: Fields = typeof args === 'object' && args !== null ? (args as Fields) : {}
  const protection = context.protection ?? DEFAULT_PROTECTION
  const text = (name: string): string[] => (typeof fields[name] === 'string' ? [fields[name]] : [])
  switch (tool.toLowerCase()) {
    case 'bash':
      return text('command').map((command) => bashAccess(command, { ...context, protection }, 0)).find((found) => found !== undefined)
    case 'grep':
      return namedIn(text('path'), protection) ?? grepToolAccess(fields, { ...context, protection })
    case 'glob':
      // The glob tool lists names and reads nothing: only a pattern that spells out a protected name is held back.
      return namedIn([...text('pattern').filter((pattern) => !/^[*?[{]/.test(pattern.split('/').at(-1) ?? '')), ...text('path')], protection)
    case 'apply_patch':
    case 'patch':
      return namedIn([...text('patchText').flatMap((patch) => [...patch.matchAll(PATCH_FILE)].map((line) => (line[1] ?? line[2] ?? '').trim())), ...pathStrings(fields)], protection)
    default:
      return namedIn(pathStrings(fields), protection)
  }
}

type Fields = Readonly<Record<string, unknown>>
const PATH_KEY = /path|file|dir|include|glob/i
const PATCH_FILE = /^\*\*\* (?:Add|Update|Delete) File: (.+)$|^\*\*\* Move to: (.+)$/gm

/** Strings under path-like keys (`filePath`, `path`, `files`, …), at any depth up to 3; never the text a tool writes. */
function pathStrings(value: unknown, underPathKey = false, depth = 0): string[] {
  if (typeof value === 'string') return underPathKey ? [value] : []
  if (depth > 3 || typeof value !== 'object' || value === null) return []
  if (Array.isArray(value)) return value.flatMap((item) => pathStrings(item, underPathKey, depth + 1))
  return Object.entries(value).flatMap(([key, inner]) => pathStrings(inner, underPathKey || PATH_KEY.test(key), depth + 1))
}

/** The first of these paths (globs read as a shell reads them) that is or could be a protected file. */
function namedIn(paths: readonly string[], protection: ProtectedFiles): SecretAccess | undefined {
  for (const path of paths) {
    const file = /[*?[{]/.test(path) ? protectedNameMatching(protection, path, false) : isProtectedFile(protection, path) ? baseName(path) : undefined
    if (file !== undefined) return { file: path, what: `touches ${path}, a protected file` }
  }
  return undefined
}

/** A grep tool (OpenCode's searches hidden files) may not search a folder holding a protected file its `include` lets through. */
function grepToolAccess(fields: Fields, context: SecretGuardContext & { protection: ProtectedFiles }): SecretAccess | undefined {
  // OpenCode names the filter `include`, Claude Code `glob` (and `type`, a ripgrep file type).
  const filter = [fields.include, fields.glob].find((value): value is string => typeof value === 'string' && value.trim() !== '')
  if (filter === undefined && typeof fields.type === 'string' && fields.type.trim() !== '') return undefined
  const include = filter
  const path = typeof fields.path === 'string' && fields.path.trim() !== '' ? fields.path : '.'
  const read: TreeRead = {
    trees: [path],
    include: include === undefined || include.startsWith('!') ? [] : [rgGlob(include)],
    exclude: include?.startsWith('!') === true ? [rgGlob(include.slice(1))] : [],
    hidden: true,
    fix: () => '',
  }
  const hit = treeHit(read, context.cwd, context)
  if (hit === undefined) return undefined
  return {
    file: hit.file,
    what: `searches ${include === undefined ? 'every file' : `files matching "${include}"`} under ${path}, which ${hit.known ? 'holds' : 'may hold'} the protected file ${hit.file}`,
    fix: `Pass an include that names the files you need (e.g. "*.ts" or "*.{js,json,md}"), or a path below it that holds no protected file.`,
  }
}

function bashAccess(command: string, context: SecretGuardContext & { protection: ProtectedFiles }, nesting: number): SecretAccess | undefined {
  const runs = commandsRun(command)
  const dotglob = runs.some((run) => (run.name === 'shopt' || run.name === 'setopt') && run.args.some((arg) => /^(?:dotglob|globdots)$/i.test(arg.text)))
  let cwd = context.cwd
  for (const run of runs) {
    if ((run.name === 'cd' || run.name === 'pushd') && run.source.depth === 0) {
      const target = run.args.find((arg) => !arg.text.startsWith('-'))
      cwd = target === undefined ? undefined : resolvePath(cwd, target.text)
      continue
    }
    const here = { ...context, cwd }
    const found = namedFileAccess(run, here, dotglob) ?? codeAccess(run, here, nesting) ?? treeAccess(run, runs, here)
    if (found !== undefined) return found
  }
  return listingAccess(runs, context, dotglob)
}

/** A protected file a program is given as an argument or a redirection. */
function namedFileAccess(run: RunCommand, context: SecretGuardContext & { protection: ProtectedFiles }, dotglob: boolean): SecretAccess | undefined {
  const words = [...fileWords(run), ...run.source.redirects.filter((redirect) => FILE_REDIRECTS.has(redirect.op)).flatMap((redirect) => (redirect.target === undefined ? [] : [redirect.target]))]
  for (const word of words) {
    const file = protectedWord(word, context, dotglob)
    if (file !== undefined) return { file, what: `touches ${file}, a protected file` }
  }
  return undefined
}

/** The words of a program that could be files it reads or writes. */
function fileWords(run: RunCommand): readonly ShellWord[] {
  const args = run.args
  if (READS_NOTHING.has(run.name) || (run.name === 'git' && GIT_READS_NOTHING.has(args[0]?.text ?? ''))) return []
  const dropped = new Set<ShellWord>()
  const dropAfter = (option: RegExp): void => {
    args.forEach((arg, index) => {
      const value = args[index + 1]
      if (option.test(arg.text) && value !== undefined) dropped.add(value)
    })
  }
  if (run.name === 'git' && args[0]?.text === 'commit') dropAfter(/^(?:-[A-Za-z]*m|--message)$/)
  // Filters are globs over names, not files: `--exclude='.env*'`, `-g '!*.pem'`, `-name '.env*'`.
  dropAfter(FILTER_OPTIONS)
  if (run.name === 'rg' || run.name === 'ag') dropAfter(/^-g$/)
  if (run.name === 'zip') dropAfter(/^-x$/)
  if (run.name === 'find') dropAfter(/^-(?:i?name|i?path|i?wholename|i?regex)$/)
  if (GREPS.test(run.name) || (run.name === 'git' && args[0]?.text === 'grep')) {
    dropAfter(/^(?:-e|--regexp)$/)
    const ownArgs = run.name === 'git' ? args.slice(1) : args
    const patternGiven = ownArgs.some((arg) => /^(?:-e|-f|--regexp|--file)(?:=|$)/.test(arg.text))
    const pattern = patternGiven ? undefined : ownArgs.find((arg, index) => !arg.text.startsWith('-') && !GREP_VALUE_OPTIONS.test(ownArgs[index - 1]?.text ?? '') && !(FILTER_OPTIONS.test(ownArgs[index - 1]?.text ?? '') || ownArgs[index - 1]?.text === '-g'))
    if (pattern !== undefined) dropped.add(pattern)
  }
  // Code is judged as code (see codeAccess), not as a file name.
  for (const code of inlineCodeOf(run, { stdin: false })) {
    const word = args.find((arg) => arg.text === code.code)
    if (word !== undefined) dropped.add(word)
  }
  return args.filter((arg) => !dropped.has(arg) && !/^--(?:message|exclude|include|exclude-dir|include-dir|glob|iglob|ignore|ignore-dir)=/.test(arg.text))
}

/**
 * A protected file a word names, looking inside `--opt=value`, `ref:path` and `@file`. A glob is
 * expanded as the shell would, against every name a protected pattern stands for; where the
 * lookup knows the folder, a glob that does not spell out a leading dot (`*`, `deploy/*`) counts
 * only when a protected file there matches it.
 */
function protectedWord(word: ShellWord, context: SecretGuardContext & { protection: ProtectedFiles }, dotglob: boolean): string | undefined {
  const pieces = [word.text, ...word.text.split(/[=:,]/).slice(1), word.text.replace(/^@/, '')]
  for (const piece of pieces) {
    if (piece === '') continue
    if (!word.glob) {
      if (isProtectedFile(context.protection, piece)) return piece
      continue
    }
    const witness = protectedNameMatching(context.protection, piece, dotglob)
    if (witness === undefined) continue
    const slash = piece.lastIndexOf('/')
    const folder = slash === -1 ? '.' : piece.slice(0, slash) || '/'
    const name = piece.slice(slash + 1)
    const present = /[*?[{]/.test(folder) ? undefined : filesIn(context, folder)
    const match = globMatcher(name, { dotWildcards: dotglob })
    const found = present?.find((file) => match(baseName(file)))
    if (found !== undefined) return slash === -1 ? baseName(found) : `${folder}/${baseName(found)}`
    // A glob that spells out a leading dot can only be after hidden files: held back even before
    // such a file appears (the index may be seconds old). A broad one (`*`) counts what is there.
    if (present === undefined || name.startsWith('.')) return piece
  }
  return undefined
}

/** The protected files directly in a folder, when the lookup knows them. */
function filesIn(context: SecretGuardContext, folder: string): readonly string[] | undefined {
  const absolute = resolvePath(context.cwd, folder)
  const files = absolute === undefined ? undefined : context.lookup?.filesUnder(absolute)
  return files?.filter((file) => !(relativeTo(absolute ?? '', file) ?? '/').includes('/'))
}

/** Interpreter code that names a protected file, or loads `.env` files itself. */
function codeAccess(run: RunCommand, context: SecretGuardContext & { protection: ProtectedFiles }, nesting: number): SecretAccess | undefined {
  for (const code of inlineCodeOf(run)) {
    if (code.language === 'shell') {
      const found = nesting < MAX_NESTING ? bashAccess(code.code, context, nesting + 1) : undefined
      if (found !== undefined) return found
      continue
    }
    for (const token of codeTokens(code.code)) {
      const file = /[*?]/.test(token) ? protectedNameMatching(context.protection, token, false) : isProtectedFile(context.protection, token) ? token : undefined
      if (file !== undefined) return { file, what: `runs ${run.name} code that opens ${file}, a protected file` }
    }
    if (isProtectedFile(context.protection, '.env') && loadsEnvFiles(run, code.code)) {
      return { file: '.env', what: `runs ${run.name} code that loads .env files${run.name === 'bun' ? ' (Bun loads them before any code runs)' : ''}, and .env is protected` }
    }
  }
  return undefined
}

/** A folder a program reads whole that holds a protected file its filters let through. */
function treeAccess(run: RunCommand, runs: readonly RunCommand[], context: SecretGuardContext & { protection: ProtectedFiles }): SecretAccess | undefined {
  let read = treeReadOf(run)
  let verb = 'reads every file under'
  if (read === undefined && run.feeder === 'find' && !READS_NOTHING.has(run.name)) {
    const find = runs.find((candidate) => candidate.name === 'find' && candidate.source === run.source)
    if (find !== undefined) read = findTrees(find)
    verb = `runs ${run.name} on every file find lists under`
  }
  if (read === undefined) return undefined
  const hit = treeHit(read, context.cwd, context)
  if (hit === undefined) return undefined
  const fixName = hit.known ? baseName(hit.file) : hit.file
  return { file: hit.file, what: `${verb} ${hit.tree}, which ${hit.known ? 'holds' : 'may hold'} the protected file ${hit.file}`, fix: `Leave it out: ${read.fix(fixName)}.` }
}

/**
 * A loop or `xargs` that reads the files a listing of hidden files gives it:
 * `for f in $(ls -A); do cat "$f"; done`, `find . -type f | xargs cat`, `ls -a | xargs head`.
 */
function listingAccess(runs: readonly RunCommand[], context: SecretGuardContext & { protection: ProtectedFiles }, dotglob: boolean): SecretAccess | undefined {
  const readers = runs.filter((run) => !READS_NOTHING.has(run.name) && run.name !== 'find' && (run.feeder === 'xargs' || run.args.some((arg) => arg.dynamic && /^\$\{?[A-Za-z_@*0-9]/.test(arg.raw.replace(/^"/, '')))))
  if (readers.length === 0) return undefined
  for (const run of runs) {
    let read: TreeRead | undefined
    if (run.name === 'ls' && run.args.some((arg) => /^-[A-Za-z]*[aA][A-Za-z]*$|^--(?:all|almost-all)$/.test(arg.text))) {
      const operands = run.args.filter((arg) => !arg.text.startsWith('-')).map((arg) => arg.text)
      read = { trees: operands.length === 0 ? ['.'] : operands, include: [], exclude: [], hidden: true, fix: () => '' }
    } else if (run.name === 'find') read = findTrees(run)
    else {
      const glob = run.args.find((arg) => arg.glob && protectedNameMatching(context.protection, arg.text, dotglob) !== undefined)
      if (glob !== undefined && (READS_NOTHING.has(run.name) || /^[A-Za-z_]\w*$/.test(run.name))) {
        return { file: protectedNameMatching(context.protection, glob.text, dotglob) ?? glob.text, what: `reads each file the glob ${glob.text} lists, and it lists protected files` }
      }
    }
    if (read === undefined) continue
    const hit = treeHit({ ...read, trees: read.trees.map((tree) => tree) }, context.cwd, context)
    if (hit !== undefined) {
      const reader = readers[0]?.name ?? 'a reader'
      return { file: hit.file, what: `runs ${reader} on files listed from ${hit.tree}, which ${hit.known ? 'holds' : 'may hold'} the protected file ${hit.file}`, fix: 'Name the files you need, or list them with a pattern that leaves protected files out.' }
    }
  }
  return undefined
}

/** The first protected file a tree read reaches; `known` false when the folder was not looked into (the pattern it may hold is given). */
function treeHit(read: TreeRead, cwd: string | undefined, context: SecretGuardContext & { protection: ProtectedFiles }): { tree: string; file: string; known: boolean } | undefined {
  for (const tree of read.trees) {
    const folder = resolvePath(cwd, tree)
    const files = folder === undefined ? undefined : context.lookup?.filesUnder(folder)
    if (files === undefined) {
      const sample = sampleNames(context.protection).find((name) => passes(read, name, name))
      if (sample !== undefined) return { tree, file: sample, known: false }
      continue
    }
    for (const file of files) {
      const relative = relativeTo(folder ?? '', file) ?? baseName(file)
      if (passes(read, relative, baseName(file))) return { tree, file: relative === '' ? baseName(file) : relative, known: true }
    }
  }
  return undefined
}

function passes(read: TreeRead, relative: string, name: string): boolean {
  if (!read.hidden && relative.split('/').some((part) => part.startsWith('.'))) return false
  if (read.include.length > 0 && !read.include.some((filter) => filter(relative, name))) return false
  if (read.opaqueFilters === true) return true
  return !read.exclude.some((filter) => filter(relative, name))
}

const SAMPLES = new WeakMap<ProtectedFiles, readonly string[]>()

/** A few names each protected pattern stands for (`.env`, `.env.local`, `key.pem`), to judge a folder not looked into. */
function sampleNames(protection: ProtectedFiles): readonly string[] {
  const known = SAMPLES.get(protection)
  if (known !== undefined) return known
  const names = new Set<string>()
  for (const pattern of protection.compiled) {
    if (!pattern.byName || pattern.negated) continue
    for (const tokens of pattern.alternatives) {
      const filled = tokens.map((token) => (token.kind === 'char' ? token : token.kind === 'star' ? { kind: 'char' as const, char: 'local' } : token))
      for (const name of [...commonNames(filled, true, tokens, 2), ...commonNames(tokens, true, tokens, 2)]) if (isProtectedFile(protection, name)) names.add(name)
    }
  }
  const list = [...names]
  SAMPLES.set(protection, list)
  return list
}
