import { expansionsIn, matchingClose, readWord } from './shell-words.js'

/** A word of a shell command, with quotes and escapes undone. */
export interface ShellWord {
  /** The word's value as far as it is known: quoted parts as written, expansions as written (`$f`, `$(…)`). */
  readonly text: string
  /** The word as it stood in the command line. */
  readonly raw: string
  /** True when part of it is an expansion the shell fills in at run time (`$x`, `${x}`, `$(…)`, backticks). */
  readonly dynamic: boolean
  /** True when an unquoted part holds a glob character (`*`, `?`, `[`), so the shell may expand it to file names. */
  readonly glob: boolean
}

/** A redirection: `<`, `>`, `>>`, `2>`, `&>`, `<<<` (a here-string) or `<<` (a here-document). */
export interface ShellRedirect {
  readonly op: string
  /** The file, or the here-string's text; for a here-document, its delimiter. */
  readonly target?: ShellWord
  /** The text of a here-document. */
  readonly body?: string
}

/** One simple command: its words (assignments before the name left out) and redirections. */
export interface ShellCommand {
  readonly words: readonly ShellWord[]
  readonly redirects: readonly ShellRedirect[]
  /** Variable assignments before the command name (`A=1 cmd`). */
  readonly assignments: readonly ShellWord[]
  /** Which pipeline of the script it belongs to, and its place there (0 first). */
  readonly pipeline: number
  readonly stage: number
  /** Nesting: 0 at top level, more inside `$(…)`, backticks, `<(…)` and subshells. */
  readonly depth: number
}

/** The simple commands of a script, from every nesting level, in the order they appear. */
export interface ParsedShell {
  readonly commands: readonly ShellCommand[]
  /** True when command lines were nested deeper than it reads (`$(…)` in `$(…)` … past 8 levels): what is in them is not among `commands`. */
  readonly tooDeep: boolean
  /** Pipelines by number: their commands in order. */
  pipelines(): ShellCommand[][]
}

const RESERVED = new Set(['for', 'if', 'then', 'else', 'elif', 'fi', 'do', 'done', 'while', 'until', 'case', 'esac', 'in', '!', '{', '}', 'function', 'select', 'time', '[[', ']]', 'coproc'])
const MAX_DEPTH = 8

/**
 * Parses a POSIX/bash command line well enough to see what it runs: quotes (`'…'`, `"…"`,
 * `$'…'`), escapes, `;`, `&&`, `||`, `|`, `&`, newlines, subshells, command and process
 * substitution, here-documents and here-strings, `for`/`while`/`if` bodies. Nested command lines
 * (`$(…)`, backticks) are parsed as commands of their own. Never throws: what it cannot read is
 * read as words.
 */
export function parseShell(script: string): ParsedShell {
  const commands: ShellCommand[] = []
  const counter = { pipelines: 0, tooDeep: false }
  parseInto(script, 0, commands, counter)
  return {
    commands,
    tooDeep: counter.tooDeep,
    pipelines: () => {
      const grouped = new Map<number, ShellCommand[]>()
      for (const command of commands) grouped.set(command.pipeline, [...(grouped.get(command.pipeline) ?? []), command])
      return [...grouped.values()]
    },
  }
}

interface Builder {
  words: ShellWord[]
  redirects: ShellRedirect[]
  assignments: ShellWord[]
  pendingRedirect?: string
}

/** A here-document whose body comes after the end of its line. */
interface PendingHeredoc {
  readonly delimiter: string
  readonly strip: boolean
  /** An unquoted delimiter: the shell expands the body, running the command lines in it. */
  readonly expand: boolean
  readonly redirect: { op: string; target: ShellWord; body: string }
}

function parseInto(script: string, depth: number, out: ShellCommand[], counter: { pipelines: number; tooDeep: boolean }): void {
  let pipeline = counter.pipelines++
  let stage = 0
  let current: Builder = newBuilder()
  const pendingHeredocs: PendingHeredoc[] = []
  const finish = (): void => {
    const words = current.words
    while (words.length > 0 && RESERVED.has(words[0]?.text ?? '') && words[0]?.raw === words[0]?.text) {
      const reserved = words.shift()?.text
      // `time -p cmd`: the keyword's own options are not the command.
      if (reserved === 'time') while (words[0]?.text === '-p' || words[0]?.text === '--') words.shift()
    }
    if (words.length > 0 || current.redirects.length > 0 || current.assignments.length > 0) {
      out.push({ words, redirects: current.redirects, assignments: current.assignments, pipeline, stage, depth })
    }
    current = newBuilder()
  }
  const nested = (inner: string, innerDepth = depth + 1): void => {
    if (innerDepth <= MAX_DEPTH) parseInto(inner, innerDepth, out, counter)
    else counter.tooDeep = true
  }
  let at = 0
  while (at < script.length) {
    const char = script[at] ?? ''
    if (char === '\n') {
      finish()
      at = readHeredocBodies(script, at + 1, pendingHeredocs, (body) => {
        expansionsIn(body, nested)
      })
      pipeline = counter.pipelines++
      stage = 0
      continue
    }
    if (char === ' ' || char === '\t' || char === '\r') {
      at++
      continue
    }
    if (char === '#') {
      while (at < script.length && script[at] !== '\n') at++
      continue
    }
    if (char === '&' && script[at + 1] === '>') {
      // `&>file` redirects both streams.
      current.pendingRedirect = script[at + 2] === '>' ? '&>>' : '&>'
      at += current.pendingRedirect.length
      continue
    }
    if (char === ';' || char === '&' || char === '|') {
      const two = script.slice(at, at + 2)
      finish()
      if (two === '||' || two === '&&' || two === ';;') {
        pipeline = counter.pipelines++
        stage = 0
        at += 2
      } else if (char === '|') {
        stage++
        at += two === '|&' ? 2 : 1
      } else {
        pipeline = counter.pipelines++
        stage = 0
        at += 1
      }
      continue
    }
    if (char === '(' || char === ')') {
      if (char === '(' && current.words.length === 0) {
        const close = matchingClose(script, at + 1, '(', ')')
        const inner = script.slice(at + 1, close)
        // `((…))` is arithmetic, which runs only the command lines in it; `(…)` is a subshell.
        if (inner.startsWith('(')) expansionsIn(inner, nested)
        else nested(inner)
        at = close + 1
        continue
      }
      finish()
      at++
      continue
    }
    const redirect = /^(?:\d*(?:<<<|<<-|<<|<>|>>|>\||>&|<&|>|<))/.exec(script.slice(at, at + 6))
    if (redirect !== null && !(script[at] === '<' && script[at + 1] === '(') && !(script[at] === '>' && script[at + 1] === '(')) {
      const op = redirect[0].replace(/^\d+/, '')
      at += redirect[0].length
      current.pendingRedirect = op
      continue
    }
    const word = readWord(script, at, nested)
    at = word.end
    if (current.pendingRedirect !== undefined) {
      const op = current.pendingRedirect
      delete current.pendingRedirect
      if (op === '<<' || op === '<<-') {
        const redirect = { op, target: word.word, body: '' }
        pendingHeredocs.push({ delimiter: word.word.text, strip: op === '<<-', expand: !/['"\\]/.test(word.word.raw), redirect })
        current.redirects.push(redirect)
      } else current.redirects.push({ op, target: word.word })
      continue
    }
    if (current.words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/.test(word.word.raw)) {
      current.assignments.push(word.word)
      continue
    }
    current.words.push(word.word)
  }
  finish()
}

function newBuilder(): Builder {
  return { words: [], redirects: [], assignments: [] }
}

/** Reads the here-document bodies that start on the line at `at`; returns where the script goes on. */
function readHeredocBodies(script: string, at: number, pending: PendingHeredoc[], expanded: (body: string) => void): number {
  let position = at
  while (pending.length > 0) {
    const heredoc = pending.shift()
    if (heredoc === undefined) break
    const lines: string[] = []
    while (position < script.length) {
      const end = script.indexOf('\n', position)
      const line = script.slice(position, end === -1 ? script.length : end)
      position = end === -1 ? script.length : end + 1
      if ((heredoc.strip ? line.replace(/^\t+/, '') : line) === heredoc.delimiter) break
      lines.push(line)
    }
    heredoc.redirect.body = lines.join('\n')
    if (heredoc.expand) expanded(heredoc.redirect.body)
  }
  return position
}
