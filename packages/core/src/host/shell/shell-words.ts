import type { ShellWord } from './parse-shell.js'

/** Reads one word from `at`; nested command lines it holds are handed to `nested`. */
export function readWord(script: string, start: number, nested: (inner: string) => void): { word: ShellWord; end: number } {
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
function expansion(script: string, at: number, nested: (inner: string) => void, arithmetic = 0): { text: string; end: number } {
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
      // Arithmetic runs nothing itself, but the shell expands what is in it first: `$(( $(cmd) ))` runs cmd.
      expansionsIn(script.slice(at + 3, close), nested, arithmetic + 1)
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

/**
 * The command lines in `text` that the shell expands as it would inside double quotes — a
 * here-document's body under an unquoted delimiter, an arithmetic expression —: each `$(…)`,
 * backtick command, and `${…}` or `$((…))` holding one goes to `nested`.
 */
export function expansionsIn(text: string, nested: (inner: string, depth?: number) => void, arithmetic = 0): void {
  // Arithmetic nested past what anyone writes is not read on (its reading recurses): it goes to
  // `nested` as deeper than the parser reads, which holds the command line back.
  if (arithmetic > MAX_ARITHMETIC) {
    nested(text, Number.POSITIVE_INFINITY)
    return
  }
  let at = 0
  while (at < text.length) {
    const char = text[at]
    if (char === '\\') at += 2
    else if (char === '$' || char === '`') at = expansion(text, at, nested, arithmetic).end
    else at++
  }
}

/** `$((…))` read inside one another at most (see {@link expansionsIn}). */
const MAX_ARITHMETIC = 8

/** The index of the bracket closing one opened just before `start`, skipping quotes and nested pairs. */
export function matchingClose(script: string, start: number, open: string, close: string): number {
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
