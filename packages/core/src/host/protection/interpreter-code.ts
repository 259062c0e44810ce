import type { RunCommand } from '../shell/commands-run.js'

/** Code a command runs that is not in a file: an interpreter's one-liner, or what it reads from stdin. */
export interface InlineCode {
  /** The language family: `shell` code is parsed as a command line; any other is scanned for file names. */
  readonly language: 'shell' | 'program'
  readonly code: string
}

/** Interpreters, by program name, and the options that take code. */
const CODE_OPTIONS: readonly (readonly [RegExp, RegExp])[] = [
  [/^python(?:[0-9.]*)?$|^pypy[0-9.]*$/, /^-[A-Za-z]*c$/],
  [/^(?:node|nodejs|bun|tsx|ts-node)$/, /^(?:-e|--eval|-p|--print|-pe)$/],
  [/^ruby$|^jruby$/, /^-[A-Za-z]*e$/],
  [/^perl[0-9.]*$/, /^-[A-Za-z]*[eE]$/],
  [/^php[0-9.]*$/, /^-[A-Za-z]*r$/],
  [/^(?:lua[0-9.]*|luajit|Rscript|osascript|julia|elixir|erl)$/, /^-[A-Za-z]*e$|^--eval$/],
  [/^(?:pwsh|powershell)$/, /^-(?:c|command|Command|EncodedCommand|e)$/],
  [/^(?:groovy|scala|kotlin|jshell)$/, /^-e$/],
]
const STDIN_INTERPRETERS = /^(?:python(?:[0-9.]*)?|pypy[0-9.]*|node|nodejs|bun|deno|ruby|perl[0-9.]*|php[0-9.]*|lua[0-9.]*|Rscript|osascript|pwsh|julia)$/
const SHELLS = /^(?:sh|bash|zsh|dash|ksh|mksh|ash|fish|rbash)$/
/** Programs whose first operand is a program in their own language: awk and sed scripts can open files. */
const SCRIPT_OPERAND = /^(?:awk|gawk|mawk|nawk|sed|gsed)$/
/** Every program that may run code: a quick test before the detailed ones. */
const RUNS_CODE = new RegExp([...CODE_OPTIONS.map(([program]) => program.source), STDIN_INTERPRETERS.source, SHELLS.source, SCRIPT_OPERAND.source, '^deno$'].join('|'))
const NONE: InlineCode[] = []

/**
 * The code a command runs inline: `python -c`, `node -e`/`-p`, `ruby -e`, `perl -e`/`-ne`,
 * `bun -e`, `deno eval`, `php -r`, awk and sed programs; and code an interpreter or shell reads
 * from stdin — a here-document, a here-string, or the text `echo`/`printf`/`cat <<…` pipe into it.
 */
export function inlineCodeOf(run: RunCommand, options: { stdin?: boolean } = {}): InlineCode[] {
  if (!RUNS_CODE.test(run.name)) return NONE
  const found: InlineCode[] = []
  const args = run.args
  for (const [program, option] of CODE_OPTIONS) {
    if (!program.test(run.name)) continue
    args.forEach((arg, index) => {
      const value = args[index + 1]
      if (option.test(arg.text) && value !== undefined) found.push({ language: 'program', code: value.text })
      const joined = /^--(?:eval|print|command)=(.*)$/s.exec(arg.text)
      if (joined !== null) found.push({ language: 'program', code: joined[1] ?? '' })
    })
  }
  if (run.name === 'deno' && args[0]?.text === 'eval') found.push(...args.slice(1).filter((arg) => !arg.text.startsWith('-')).slice(0, 1).map((arg) => ({ language: 'program' as const, code: arg.text })))
  if (SCRIPT_OPERAND.test(run.name)) {
    const program = args.find((arg) => !arg.text.startsWith('-'))
    const given = args.flatMap((arg, index) => (/^(?:-e|--expression)$/.test(arg.text) ? [args[index + 1]?.text ?? ''] : []))
    found.push(...(given.length > 0 ? given : program === undefined ? [] : [program.text]).map((code) => ({ language: 'program' as const, code })))
  }
  const readsStdin = options.stdin !== false && (((STDIN_INTERPRETERS.test(run.name) || SHELLS.test(run.name)) && !args.some((arg) => !arg.text.startsWith('-') || /^-[A-Za-z]*[ceEr]$/.test(arg.text))) || args.some((arg) => arg.text === '-'))
  if (readsStdin) {
    const language = SHELLS.test(run.name) ? 'shell' : 'program'
    for (const text of stdinTexts(run)) found.push({ language, code: text })
  }
  return found
}

/** Text a command gets on stdin from its own here-documents and here-strings, or from `echo`/`printf`/here-documents earlier in its pipeline. */
function stdinTexts(run: RunCommand): string[] {
  const own = run.source.redirects.flatMap((redirect) => (redirect.op === '<<<' ? [redirect.target?.text ?? ''] : redirect.body === undefined ? [] : [redirect.body]))
  if (run.source.stage === 0) return own
  const upstream = run.script.filter((command) => command.pipeline === run.source.pipeline && command.stage < run.source.stage)
  return [
    ...own,
    ...upstream.flatMap((command) => {
      const name = command.words[0]?.text ?? ''
      const heredocs = command.redirects.flatMap((redirect) => (redirect.body === undefined ? [] : [redirect.body]))
      return name === 'echo' || name === 'printf' ? [command.words.slice(1).map((word) => word.text).join(' '), ...heredocs] : heredocs
    }),
  ]
}

/** The words of code that could name files: string literals and bare path-like tokens. */
export function codeTokens(code: string): string[] {
  return code.split(/[\s'"`()[\]{},;+=<>|&!:%$@^]+/).filter((token) => token !== '')
}

/** True when code loads `.env` files by itself: dotenv libraries, or Bun, which loads them before running any code. */
export function loadsEnvFiles(run: RunCommand, code: string): boolean {
  if (/dotenv|env_file|envfile|--env-file/i.test(code)) return true
  return run.name === 'bun' && /process\.env|Bun\.env|import\.meta\.env/.test(code)
}
