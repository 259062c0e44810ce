import type { RunCommand } from '../shell/commands-run.js'
import { braceGlob, bracePieces, expandBraceWord, hasBraceSyntax, hasUnquotedComma } from './brace-expansion.js'
import { ShellTooDeepError, commandsRun } from '../shell/commands-run.js'
import type { ShellWord } from '../shell/parse-shell.js'
import { globMatcher } from './glob-matcher.js'
import { codeTokens, inlineCodeOf, loadsEnvFiles } from './interpreter-code.js'
import { baseName, relativeTo, resolvePath } from './paths.js'
import { isProtectedFile, protectedNameMatching } from './protected-files.js'
import type { GuardContext, SecretAccess, SecretGuardContext } from './secret-access.js'
import { gitStageAccess } from './git-stage.js'
import { gitArguments } from '../git-command.js'
import { treeHit } from './tree-hit.js'
import type { TreeRead } from './tree-reads.js'
import { findTrees, treeReadOf } from './tree-reads.js'

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
 * How a shell command line would reach a protected file: files its programs are given, code they
 * run, folders they read whole, and loops or `xargs` over listings of hidden files.
 */
export function bashAccess(command: string, context: GuardContext, nesting: number): SecretAccess | undefined {
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
    const found = namedFileAccess(run, here, dotglob) ?? codeAccess(run, here, nesting) ?? treeAccess(run, runs, here) ?? gitStageAccess(run, here)
    if (found !== undefined) return found
  }
  return compoundRedirectAccess(runs, context, dotglob) ?? listingAccess(runs, context, dotglob)
}

/**
 * A protected file redirected into or out of a compound command — `while read l; do …; done < .env`,
 * `{ cat; } < .env`, `( cat ) < .env`, `if …; fi < .env` —: the redirection stands after the
 * closing word, a command of no program of its own, so no program's redirections hold it; every
 * command inside reads it.
 */
function compoundRedirectAccess(runs: readonly RunCommand[], context: GuardContext, dotglob: boolean): SecretAccess | undefined {
  const scripts = new Set(runs.map((run) => run.script))
  for (const script of scripts) {
    for (const command of script) {
      if (command.words.length > 0) continue
      for (const redirect of command.redirects) {
        if (!FILE_REDIRECTS.has(redirect.op) || redirect.target === undefined) continue
        const file = protectedWord(redirect.target, context, dotglob)
        if (file !== undefined) return { file, what: `redirects ${file}, a protected file, into the commands before it` }
      }
    }
  }
  return undefined
}

/** A protected file a program is given as an argument or a redirection. */
function namedFileAccess(run: RunCommand, context: GuardContext, dotglob: boolean): SecretAccess | undefined {
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
  // git's own options come before its subcommand (`git -C sub grep …`, `git -c a=b commit -m …`).
  const git = run.name === 'git' ? gitArguments(args) : undefined
  if (READS_NOTHING.has(run.name) || (git !== undefined && GIT_READS_NOTHING.has(git.subcommand ?? ''))) return []
  const dropped = new Set<ShellWord>()
  const dropAfter = (option: RegExp): void => {
    args.forEach((arg, index) => {
      const value = args[index + 1]
      if (option.test(arg.text) && value !== undefined) dropped.add(value)
    })
  }
  if (git?.subcommand === 'commit') dropAfter(/^(?:-[A-Za-z]*m|--message)$/)
  // Filters are globs over names, not files: `--exclude='.env*'`, `-g '!*.pem'`, `-name '.env*'`.
  dropAfter(FILTER_OPTIONS)
  if (run.name === 'rg' || run.name === 'ag') dropAfter(/^-g$/)
  if (run.name === 'zip') dropAfter(/^-x$/)
  if (run.name === 'find') dropAfter(/^-(?:i?name|i?path|i?wholename|i?regex)$/)
  if (GREPS.test(run.name) || git?.subcommand === 'grep') {
    dropAfter(/^(?:-e|--regexp)$/)
    const ownArgs = git === undefined ? args : git.args
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
function protectedWord(word: ShellWord, context: GuardContext, dotglob: boolean): string | undefined {
  // Brace expansion comes first, as in the shell: `cat {.env,README.md}` names .env.
  if (hasBraceSyntax(word.raw)) {
    const literal = (text: string): ShellWord => ({ ...word, text, raw: text.replace(/[{}\\'"$`]/g, '\\$&'), glob: word.glob || /[*?[]/.test(text) })
    const expanded = expandBraceWord(word.raw)
    if ('tooLarge' in expanded) {
      // Ranges alone cannot spell a name: read as a glob (`frame*.png`). A list too large to read is held back.
      if (!hasUnquotedComma(word.raw)) return protectedWord({ ...literal(braceGlob(word.text)), glob: true }, context, dotglob)
      return `${word.raw.length > 60 ? `${word.raw.slice(0, 60)}…` : word.raw} (a brace expansion too large to check: ${expanded.tooLarge})`
    }
    // What bash makes of it, and — for braces that do not pair as lists — every piece between them.
    for (const text of new Set([...expanded.words, ...bracePieces(word.raw)])) {
      if (text === word.text) continue
      const file = protectedWord(literal(text), context, dotglob)
      if (file !== undefined) return file
    }
    if (expanded.words.length !== 1 || expanded.words[0] !== word.text) return undefined
  }
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
function codeAccess(run: RunCommand, context: GuardContext, nesting: number): SecretAccess | undefined {
  for (const code of inlineCodeOf(run)) {
    if (code.language === 'shell') {
      if (nesting >= MAX_NESTING) throw new ShellTooDeepError(`shell programs (${run.name} code in ${run.name} code …)`)
      const found = bashAccess(code.code, context, nesting + 1)
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
function treeAccess(run: RunCommand, runs: readonly RunCommand[], context: GuardContext): SecretAccess | undefined {
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
function listingAccess(runs: readonly RunCommand[], context: GuardContext, dotglob: boolean): SecretAccess | undefined {
  // A reader given a variable, or the output of a command (`$(ls -A)`, backticks), as its files.
  const readers = runs.filter((run) => !READS_NOTHING.has(run.name) && run.name !== 'find' && (run.feeder === 'xargs' || run.args.some((arg) => arg.dynamic && /^(?:\$\{?[A-Za-z_@*0-9]|\$\(|`)/.test(arg.raw.replace(/^"/, '')))))
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
