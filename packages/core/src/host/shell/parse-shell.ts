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
  const counter = { pipelines: 0 }
  parseInto(script, 0, commands, counter)
  return {
    commands,
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
  readonly redirect: { op: string; target: ShellWord; body: string }
}

function parseInto(script: string, depth: number, out: ShellCommand[], counter: { pipelines: number }): void {
  let pipeline = counter.pipelines++
  let stage = 0
  let current: Builder = newBuilder()
  const pendingHeredocs: PendingHeredoc[] = []
  const finish = (): void => {
    const words = current.words
    while (words.length > 0 && RESERVED.has(words[0]?.text ?? '') && words[0]?.raw === words[0]?.text) words.shift()
    if (words.length > 0 || current.redirects.length > 0 || current.assignments.length > 0) {
      out.push({ words, redirects: current.redirects, assignments: current.assignments, pipeline, stage, depth })
    }
    current = newBuilder()
  }
  const nested = (inner: string, innerDepth = depth + 1): void => {
    if (innerDepth <= MAX_DEPTH) parseInto(inner, innerDepth, out, counter)
  }
  let at = 0
  while (at < script.length) {
    const char = script[at] ?? ''
    if (char === '\n') {
      finish()
      at = readHeredocBodies(script, at + 1, pendingHeredocs)
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
        // `((…))` is arithmetic: nothing runs; `(…)` is a subshell.
        if (!inner.startsWith('(')) nested(inner)
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
        pendingHeredocs.push({ delimiter: word.word.text, strip: op === '<<-', redirect })
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
function readHeredocBodies(script: string, at: number, pending: PendingHeredoc[]): number {
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
  }
  return position
}

/** Reads one word from `at`; nested command lines it holds are handed to `nested`. */
function readWord(script: string, start: number, nested: (inner: string) => void): { word: ShellWord; end: number } {
  let text = ''
  let dynamic = false
  let glob = false
  let at = start
  while (at < script.length) {
    const char = script[at] ?? ''
    if (/[\s;&|()<>]/.test(char)) {
      // `<(…)` and `>(…)`: process substitution inside a word.
      if ((char === '<' || char === '>') && script[at + 1] === '(' && text === '') {
        const close = matchingClose(script, at + 2, '(', ')')
        nested(script.slice(at + 2, close))
        text += script.slice(at, close + 1)
        dynamic = true
        at = close + 1
        continue
      }
      break
    }
    if (char === '\\') {
      if (script[at + 1] === '\n') {
        at += 2
        continue
      }
      text += script[at + 1] ?? ''
      at += 2
      continue
    }
    if (char === "'") {
      const close = script.indexOf("'", at + 1)
      const end = close === -1 ? script.length : close
      text += script.slice(at + 1, end)
      at = end + 1
      continue
    }
    if (char === '$' && script[at + 1] === "'") {
      const read = ansiCQuoted(script, at + 2)
      text += read.text
      at = read.end
      continue
    }
    if (char === '"' || (char === '$' && script[at + 1] === '"')) {
      const read = doubleQuoted(script, at + (char === '$' ? 2 : 1), nested)
      text += read.text
      dynamic ||= read.dynamic
      at = read.end
      continue
    }
    if (char === '$' || char === '`') {
      const read = expansion(script, at, nested)
      text += read.text
      dynamic = true
      at = read.end
      continue
    }
    if (char === '*' || char === '?' || char === '[') glob = true
    text += char
    at++
  }
  return { word: { text, raw: script.slice(start, at), dynamic, glob }, end: at }
}

/** `$'…'`: C escapes (`\n`, `\t`, `\xHH`, `\NNN` octal, `\uHHHH`, `\'`, `\\`). */
function ansiCQuoted(script: string, start: number): { text: string; end: number } {
  let text = ''
  let at = start
  const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', E: '\x1b', f: '\f', v: '\v', '\\': '\\', "'": "'", '"': '"', '?': '?' }
  while (at < script.length && script[at] !== "'") {
    const char = script[at] ?? ''
    if (char !== '\\') {
      text += char
      at++
      continue
    }
    const next = script[at + 1] ?? ''
    const hex = /^x([0-9a-fA-F]{1,2})/.exec(script.slice(at + 1, at + 4))
    const unicode = /^[uU]([0-9a-fA-F]{1,8})/.exec(script.slice(at + 1, at + 11))
    const octal = /^([0-7]{1,3})/.exec(script.slice(at + 1, at + 4))
    if (hex !== null) {
      text += String.fromCharCode(parseInt(hex[1] ?? '0', 16))
      at += 1 + hex[0].length
    } else if (unicode !== null) {
      text += String.fromCodePoint(Math.min(parseInt(unicode[1] ?? '0', 16), 0x10ffff))
      at += 1 + unicode[0].length
    } else if (octal !== null) {
      text += String.fromCharCode(parseInt(octal[1] ?? '0', 8))
      at += 1 + octal[0].length
    } else {
      text += simple[next] ?? `\\${next}`
      at += 2
    }
  }
  return { text, end: at + 1 }
}

function doubleQuoted(script: string, start: number, nested: (inner: string) => void): { text: string; dynamic: boolean; end: number } {
  let text = ''
  let dynamic = false
  let at = start
  while (at < script.length && script[at] !== '"') {
    const char = script[at] ?? ''
    if (char === '\\' && /["\\$`\n]/.test(script[at + 1] ?? '')) {
      text += script[at + 1] === '\n' ? '' : (script[at + 1] ?? '')
      at += 2
    } else if (char === '$' || char === '`') {
      const read = expansion(script, at, nested)
      text += read.text
      dynamic = true
      at = read.end
    } else {
      text += char
      at++
    }
  }
  return { text, dynamic, end: at + 1 }
}

/** `$name`, `${…}`, `$(…)`, `$((…))` or a backtick command; command lines inside go to `nested`. */
function expansion(script: string, at: number, nested: (inner: string) => void): { text: string; end: number } {
  if (script[at] === '`') {
    let close = at + 1
    while (close < script.length && script[close] !== '`') close += script[close] === '\\' ? 2 : 1
    nested(script.slice(at + 1, close).replace(/\\([`\\$])/g, '$1'))
    return { text: script.slice(at, close + 1), end: close + 1 }
  }
  const next = script[at + 1]
  if (next === '(') {
    if (script[at + 2] === '(') {
      const close = matchingClose(script, at + 3, '(', ')')
      return { text: script.slice(at, close + 2), end: Math.min(script.length, close + 2) }
    }
    const close = matchingClose(script, at + 2, '(', ')')
    nested(script.slice(at + 2, close))
    return { text: script.slice(at, close + 1), end: close + 1 }
  }
  if (next === '{') {
    const close = matchingClose(script, at + 2, '{', '}')
    const inner = script.slice(at + 2, close)
    // `${x:-$(cmd)}` and the like hold command lines too.
    if (/[`$]\(/.test(inner) || inner.includes('`')) readWord(inner.replace(/^[^:$`]*:?[-=?+]?/, ''), 0, nested)
    return { text: script.slice(at, close + 1), end: close + 1 }
  }
  const name = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9@*#?$!-])/.exec(script.slice(at + 1, at + 64))
  if (name === null) return { text: '$', end: at + 1 }
  return { text: `$${name[0]}`, end: at + 1 + name[0].length }
}

/** The index of the bracket closing one opened just before `start`, skipping quotes and nested pairs. */
function matchingClose(script: string, start: number, open: string, close: string): number {
  let depth = 1
  let at = start
  while (at < script.length) {
    const char = script[at]
    if (char === '\\') at += 2
    else if (char === "'") {
      const end = script.indexOf("'", at + 1)
      at = end === -1 ? script.length : end + 1
    } else if (char === '"') {
      let end = at + 1
      while (end < script.length && script[end] !== '"') end += script[end] === '\\' ? 2 : 1
      at = end + 1
    } else {
      if (char === open) depth++
      else if (char === close && --depth === 0) return at
      at++
    }
  }
  return script.length
}
