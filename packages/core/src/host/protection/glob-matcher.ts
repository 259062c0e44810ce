/** How a glob is read. */
export interface GlobReading {
  /** Wildcards match a leading dot (ripgrep, find, git, .gitignore) or not (a shell). */
  readonly dotWildcards: boolean
  readonly ignoreCase?: boolean
  /** A glob without `/` is matched against the last segment of a path. */
  readonly basename?: boolean
}

const MAX_MATCHERS = 512
const MATCHERS = new Map<string, (path: string) => boolean>()

/**
 * A matcher for a path glob as ripgrep (globset) reads one: `*` and `?` within a segment, `**` as
 * a whole segment for any number of segments, `[…]`/`[!…]`/`[^…]`, `{a,b}` (nested too), `\x` for
 * a literal x. The test beside the Node kit's index checks it against the real `rg` binary.
 * Matchers are kept: compiling costs more than matching, and agents repeat their globs.
 */
export function globMatcher(glob: string, reading: GlobReading): (path: string) => boolean {
  const key = `${reading.dotWildcards ? 'd' : '-'}${reading.ignoreCase === true ? 'i' : '-'}${reading.basename === true ? 'b' : '-'}${glob}`
  const known = MATCHERS.get(key)
  if (known !== undefined) return known
  const regex = new RegExp(`^${globSource(glob, reading.dotWildcards)}$`, reading.ignoreCase === true ? 'isu' : 'su')
  const byName = reading.basename === true && !glob.includes('/')
  const matcher = (path: string): boolean => regex.test(byName ? (path.split('/').at(-1) ?? path) : path)
  if (MATCHERS.size >= MAX_MATCHERS) MATCHERS.delete(MATCHERS.keys().next().value ?? '')
  MATCHERS.set(key, matcher)
  return matcher
}

/** The regular expression source of a glob (without anchors). */
function globSource(glob: string, dotWildcards: boolean): string {
  const chars = Array.from(glob)
  let source = ''
  // A segment starts here: a wildcard may not match a leading dot unless `dotWildcards`.
  let segmentStart = true
  const noDot = (): string => (segmentStart && !dotWildcards ? '(?!\\.)' : '')
  for (let at = 0; at < chars.length; at++) {
    const char = chars[at] ?? ''
    if (char === '*' && chars[at + 1] === '*' && segmentStart && (chars[at + 2] === '/' || at + 2 === chars.length)) {
      const hidden = dotWildcards ? '' : '(?!\\.)'
      if (chars[at + 2] === '/') {
        source += `(?:${hidden}[^/]*/)*`
        at += 2
      } else source += `(?:${hidden}[^/]*(?:/${hidden}[^/]*)*)?`
      continue
    }
    if (char === '*') {
      while (chars[at + 1] === '*') at++
      source += `${noDot()}[^/]*`
    } else if (char === '?') source += `${noDot()}[^/]`
    else if (char === '[') {
      const negated = chars[at + 1] === '!' || chars[at + 1] === '^'
      const first = at + (negated ? 2 : 1)
      const close = chars.indexOf(']', first + 1)
      if (close === -1) source += '\\['
      else {
        const body = chars.slice(first, close).map((inner) => (inner === '\\' || inner === ']' || inner === '^' ? `\\${inner}` : inner)).join('')
        source += `${noDot()}${negated ? `(?!/)[^${body}]` : `[${body}]`}`
        at = close
      }
    } else if (char === '{') {
      const close = closingBrace(chars, at)
      if (close === -1) source += '\\{'
      else {
        const parts = splitAlternatives(chars.slice(at + 1, close).join(''))
        if (parts.length < 2) source += '\\{'
        else {
          source += `(?:${parts.map((part) => globSource(part, dotWildcards)).join('|')})`
          at = close
        }
      }
    } else if (char === '\\' && at + 1 < chars.length) source += escape(chars[++at] ?? '')
    else source += escape(char)
    segmentStart = char === '/'
  }
  return source
}

/** A character as itself in a regular expression with the `u` flag, outside a class (where `\-` is no escape and throws). */
function escape(char: string): string {
  return char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
}

/** The index of the `}` closing the `{` at `open`, or -1. */
function closingBrace(chars: readonly string[], open: number): number {
  let depth = 0
  for (let at = open; at < chars.length; at++) {
    if (chars[at] === '\\') at++
    else if (chars[at] === '{') depth++
    else if (chars[at] === '}' && --depth === 0) return at
  }
  return -1
}

/** `a,b{c,d},e` → `a`, `b{c,d}`, `e`: commas at the top level only. */
function splitAlternatives(body: string): string[] {
  const parts: string[] = []
  let depth = 0
  let current = ''
  for (let at = 0; at < body.length; at++) {
    const char = body[at] ?? ''
    if (char === '\\') {
      current += char + (body[at + 1] ?? '')
      at++
      continue
    }
    if (char === '{') depth++
    if (char === '}') depth--
    if (char === ',' && depth === 0) {
      parts.push(current)
      current = ''
    } else current += char
  }
  parts.push(current)
  return parts
}
