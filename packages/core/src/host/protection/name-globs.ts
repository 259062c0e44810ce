/**
 * Globs over one file name (no `/`): `*`, `?`, `[…]`/`[!…]`/`[^…]` and `{a,b}` alternatives. Two
 * readings of a wildcard at the start of a name: a shell's, where `*`, `?` and `[…]` never match
 * a leading dot (`*env` cannot match `.env`), and ripgrep's, find's and git's, where they do.
 */
export type NameToken =
  | { readonly kind: 'char'; readonly char: string }
  | { readonly kind: 'any' }
  | { readonly kind: 'star' }
  | { readonly kind: 'class'; readonly negated: boolean; readonly chars: string; readonly ranges: readonly (readonly [string, string])[] }

const MAX_ALTERNATIVES = 256

/** `{a,b}c` → `ac`, `bc` (nested too); braces without a comma stay literal. At most 256 alternatives. */
export function expandBraces(pattern: string, budget = { left: MAX_ALTERNATIVES }): string[] {
  for (let open = pattern.indexOf('{'); open !== -1; open = pattern.indexOf('{', open + 1)) {
    let depth = 0
    const commas: number[] = []
    for (let at = open; at < pattern.length; at++) {
      const char = pattern[at]
      if (char === '{') depth++
      else if (char === '}' && --depth === 0) {
        if (commas.length === 0) break
        const before = pattern.slice(0, open)
        const after = pattern.slice(at + 1)
        const bounds = [open, ...commas, at]
        const parts = bounds.slice(1).map((end, index) => pattern.slice((bounds[index] ?? open) + 1, end))
        return parts.flatMap((part) => {
          if (budget.left <= 0) return []
          budget.left--
          return expandBraces(`${before}${part}${after}`, budget)
        })
      } else if (char === ',' && depth === 1) commas.push(at)
    }
  }
  return [pattern]
}

/** The tokens of a name glob without braces (see {@link expandBraces}); `\x` is a literal x. */
export function nameTokens(pattern: string): NameToken[] {
  const tokens: NameToken[] = []
  const chars = Array.from(pattern)
  for (let at = 0; at < chars.length; at++) {
    const char = chars[at] ?? ''
    if (char === '\\' && at + 1 < chars.length) tokens.push({ kind: 'char', char: chars[++at] ?? '' })
    else if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' })
    } else if (char === '?') tokens.push({ kind: 'any' })
    else if (char === '[') {
      const negated = chars[at + 1] === '!' || chars[at + 1] === '^'
      const first = at + (negated ? 2 : 1)
      const close = chars.indexOf(']', first + 1)
      if (close === -1) {
        tokens.push({ kind: 'char', char })
        continue
      }
      const body = chars.slice(first, close)
      const ranges: (readonly [string, string])[] = []
      let single = ''
      for (let inner = 0; inner < body.length; inner++) {
        const from = body[inner] ?? ''
        const to = body[inner + 2]
        if (body[inner + 1] === '-' && to !== undefined) {
          ranges.push([from, to])
          inner += 2
        } else single += from
      }
      tokens.push({ kind: 'class', negated, chars: single, ranges })
      at = close
    } else tokens.push({ kind: 'char', char })
  }
  return tokens
}

/** True when the token accepts the character. */
export function accepts(token: NameToken, char: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === char
    case 'any':
    case 'star':
      return true
    case 'class': {
      const inClass = token.chars.includes(char) || token.ranges.some(([from, to]) => from <= char && char <= to)
      return inClass !== token.negated
    }
  }
}

/** A regular expression matching the names the tokens match, wildcards matching a leading dot. */
export function nameRegExp(tokens: readonly NameToken[]): RegExp {
  // With the `u` flag, `\-` is an escape only inside a class: a name's `-` stays as it is outside one.
  const escape = (char: string): string => char.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&')
  const escapeInClass = (char: string): string => char.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&')
  const source = tokens.map((token) => {
    switch (token.kind) {
      case 'char':
        return escape(token.char)
      case 'any':
        return '.'
      case 'star':
        return '.*'
      case 'class':
        return `[${token.negated ? '^' : ''}${Array.from(token.chars).map(escapeInClass).join('')}${token.ranges.map(([from, to]) => `${escapeInClass(from)}-${escapeInClass(to)}`).join('')}]`
    }
  }).join('')
  return new RegExp(`^${source}$`, 'su')
}

/** Characters a wildcard is tried with besides the literal characters of either glob. */
const FILLERS = ['x', '0', '-', '_', 'é']
const MAX_LENGTH = 96

/**
 * Names both globs match, shortest first, at most `limit` of them: `word` read with or without
 * wildcards matching a leading dot, `pattern` with them. A wildcard is tried with the literal
 * characters of either glob and a few others. Names are told apart only while they could still
 * become one of `watched` (names a caller wants to see past, such as un-protected templates):
 * otherwise one name per pair of glob positions is enough, which keeps the search small.
 */
export function commonNames(word: readonly NameToken[], dotWildcards: boolean, pattern: readonly NameToken[], limit = 8, watched: readonly string[] = []): string[] {
  const literals = [...new Set([...word, ...pattern].flatMap((token) => (token.kind === 'char' ? [token.char] : token.kind === 'class' ? Array.from(token.chars) : [])))]
  const alphabet = [...literals, ...FILLERS.filter((char) => !literals.includes(char))]
  const found: string[] = []
  const seen = new Set<string>()
  const queue: [number, number, string][] = [[0, 0, '']]
  for (let next = 0; next < queue.length && found.length < limit; next++) {
    const [i, j, name] = queue[next] ?? [0, 0, '']
    // The empty name is a state of its own: a wildcard may not start a name with a dot.
    const tag = name === '' ? '^' : watched.some((candidate) => candidate.startsWith(name)) ? name : ''
    const key = `${String(i)}|${String(j)}|${tag}`
    if (seen.has(key)) continue
    seen.add(key)
    const w = word[i]
    const p = pattern[j]
    // Stars may also match nothing.
    if (w?.kind === 'star') queue.push([i + 1, j, name])
    if (p?.kind === 'star') queue.push([i, j + 1, name])
    if (w === undefined && p === undefined) {
      if (!found.includes(name)) found.push(name)
      continue
    }
    if (w === undefined || p === undefined || name.length >= MAX_LENGTH) continue
    const candidates = w.kind === 'char' ? [w.char] : p.kind === 'char' ? [p.char] : alphabet
    for (const char of candidates) {
      if (!accepts(w, char) || !accepts(p, char)) continue
      if (name === '' && char === '.' && w.kind !== 'char' && !dotWildcards) continue
      queue.push([w.kind === 'star' ? i : i + 1, p.kind === 'star' ? j : j + 1, name + char])
    }
  }
  return found
}
