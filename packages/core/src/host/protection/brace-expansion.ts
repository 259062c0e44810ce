/** One character of a word as the shell reads it, and whether quoting or a backslash made it literal. */
interface WordChar {
  readonly char: string
  readonly quoted: boolean
}

/** What a brace expansion gives: its words, or that it is too large to check (see the limits below). */
export type BraceExpansion = { readonly words: readonly string[] } | { readonly tooLarge: string }

/** Words an expansion makes at most, before it is called too large to check. */
export const MAX_BRACE_WORDS = 1024
/** The longest word expanded: a longer one with brace syntax is too large to check. */
const MAX_WORD_LENGTH = 4096
/** Groups expanded at most for one word (each step reads the word once). */
const MAX_STEPS = 4096

/**
 * The words the shell's brace expansion makes of a word, from its text as written (`raw`): quoted
 * and escaped braces and commas are literal; `a{b,c}d` is `abd acd`, nested lists too, `{1..3}`,
 * `{01..03}` (padded), `{0..10..5}`, `{a..e..2}` ranges; an unmatched `{` is left as it is and the
 * groups after it are still expanded; a group with neither a comma nor a range stays (`{x}`). In
 * bash's order. A word whose expansion passes the limits is `tooLarge` — the guard then holds it
 * back rather than let words it did not read through.
 */
export function expandBraceWord(raw: string): BraceExpansion {
  if (raw.length > MAX_WORD_LENGTH) return { tooLarge: `a word of ${String(raw.length)} characters with braces` }
  const words: string[] = []
  // Depth first, parts pushed last to first: the words come out in bash's order.
  const stack: WordChar[][] = [charsOf(raw)]
  let steps = 0
  while (stack.length > 0) {
    const chars = stack.pop() ?? []
    const group = firstGroup(chars)
    if (group === undefined) {
      words.push(chars.map((c) => c.char).join(''))
      if (words.length > MAX_BRACE_WORDS) return { tooLarge: `more than ${String(MAX_BRACE_WORDS)} words` }
      continue
    }
    if (group.parts === TOO_LARGE || ++steps > MAX_STEPS || stack.length + words.length + group.parts.length > MAX_BRACE_WORDS) return { tooLarge: `more than ${String(MAX_BRACE_WORDS)} words` }
    const prefix = chars.slice(0, group.open)
    const suffix = chars.slice(group.close + 1)
    for (let index = group.parts.length - 1; index >= 0; index--) stack.push([...prefix, ...(group.parts[index] ?? []), ...suffix])
  }
  return { words }
}

/** True when a word as written holds an unquoted `{`: only then can the shell expand braces in it. */
export function hasBraceSyntax(raw: string): boolean {
  // Every word of every shell call comes here: most have no brace at all, and are not read further.
  return raw.includes('{') && charsOf(raw).some((c) => c.char === '{' && !c.quoted)
}

/** The escapes of `$'…'` that stand for another character (others stand for themselves). */
const ANSI_C: Readonly<Record<string, string>> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', e: '\x1b', f: '\f', v: '\v' }

/** A word's characters from its text as written: quotes and backslashes taken out, what they made literal marked. */
function charsOf(raw: string): WordChar[] {
  const chars: WordChar[] = []
  let quote: string | undefined
  for (let at = 0; at < raw.length; at++) {
    const char = raw.charAt(at)
    if (quote === "'") {
      if (char === "'") quote = undefined
      else chars.push({ char, quoted: true })
    } else if (quote === '"') {
      if (char === '"') quote = undefined
      else if (char === '\\' && /["\\$`]/.test(raw.charAt(at + 1))) chars.push({ char: raw.charAt(++at), quoted: true })
      else chars.push({ char, quoted: true })
    } else if (char === '$' && raw.charAt(at + 1) === "'") {
      // `$'…'`: its escapes as bash reads them (the common ones), all of it literal.
      at += 2
      for (; at < raw.length && raw.charAt(at) !== "'"; at++) {
        const next = raw.charAt(at)
        if (next === '\\' && at + 1 < raw.length) {
          const escaped = raw.charAt(++at)
          chars.push({ char: ANSI_C[escaped] ?? escaped, quoted: true })
        } else chars.push({ char: next, quoted: true })
      }
    } else if (char === '$' && raw.charAt(at + 1) === '"') {
      // `$"…"`: a double-quoted text (translated by locale, which the guard leaves as it is).
      quote = '"'
      at += 1
    } else if (char === "'" || char === '"') quote = char
    else if (char === '\\' && at + 1 < raw.length) chars.push({ char: raw.charAt(++at), quoted: true })
    else chars.push({ char, quoted: false })
  }
  return chars
}

/** The longest inside of a range group (`-12..345..6` is 11). */
const MAX_RANGE_LENGTH = 64

/** A range of more words than {@link MAX_BRACE_WORDS}. */
const TOO_LARGE = 'too-large'

/** The leftmost group the shell expands: where it opens and closes, and its parts. One pass over the word. */
function firstGroup(chars: readonly WordChar[]): { readonly open: number; readonly close: number; readonly parts: readonly (readonly WordChar[])[] | typeof TOO_LARGE } | undefined {
  const opens: { at: number; commas: number[] }[] = []
  let best: { open: number; close: number; parts: WordChar[][] | typeof TOO_LARGE } | undefined
  for (let at = 0; at < chars.length; at++) {
    const { char, quoted } = chars[at] ?? { char: '', quoted: true }
    if (quoted) continue
    if (char === '{') opens.push({ at, commas: [] })
    else if (char === ',') opens.at(-1)?.commas.push(at)
    else if (char === '}') {
      const open = opens.pop()
      if (open === undefined || (best !== undefined && best.open < open.at)) continue
      // A range is short: a longer inside is not copied to be tried as one (nested braces would make that quadratic).
      const parts = open.commas.length > 0
        ? [open.at, ...open.commas].map((from, index) => chars.slice(from + 1, [...open.commas, at][index]))
        : at - open.at - 1 <= MAX_RANGE_LENGTH ? rangeParts(chars.slice(open.at + 1, at)) : undefined
      if (parts !== undefined) best = { open: open.at, close: at, parts }
    }
  }
  return best
}

/** The words of a range group (`1..3`, `01..10`, `0..10..5`, `a..e`, `a..e..2`) as characters, or undefined when it is none. */
function rangeParts(inner: readonly WordChar[]): WordChar[][] | typeof TOO_LARGE | undefined {
  // A range is short (`-12..345..6`); a long inside, or one holding braces, is none (and is not read again at every step).
  if (inner.length > MAX_RANGE_LENGTH || inner.some((c) => c.quoted || c.char === '{')) return undefined
  const text = inner.map((c) => c.char).join('')
  const numbers = /^(-?\d+)\.\.(-?\d+)(?:\.\.(-?\d+))?$/.exec(text)
  const letters = /^([a-zA-Z])\.\.([a-zA-Z])(?:\.\.(-?\d+))?$/.exec(text)
  if (numbers === null && letters === null) return undefined
  const [, first = '', last = '', stepText] = numbers ?? letters ?? []
  const from = numbers === null ? first.charCodeAt(0) : Number(first)
  const to = numbers === null ? last.charCodeAt(0) : Number(last)
  const step = Math.max(1, Math.abs(Number(stepText ?? 1)))
  // Past 2^53 a number no longer counts up by one: bash leaves such a range as it is written.
  if (![from, to, step].every((n) => Number.isSafeInteger(n))) return undefined
  const count = Math.floor(Math.abs(to - from) / step) + 1
  if (count > MAX_BRACE_WORDS) return TOO_LARGE
  // A leading zero on either end pads every number to the wider end's width.
  const padded = numbers !== null && [first, last].some((end) => /^-?0\d/.test(end))
  const width = Math.max(first.replace('-', '').length, last.replace('-', '').length)
  const words: WordChar[][] = []
  for (let index = 0; index < count; index++) {
    const value = from <= to ? from + index * step : from - index * step
    const word = numbers === null ? String.fromCharCode(value) : padded ? `${value < 0 ? '-' : ''}${String(Math.abs(value)).padStart(width, '0')}` : String(value)
    words.push(Array.from(word, (char) => ({ char, quoted: true })))
  }
  return words
}

/**
 * What a word with brace syntax could stand for beyond what {@link expandBraceWord} makes of it,
 * read generously: the word with its unquoted braces taken out, and each piece between its
 * unquoted braces and commas. bash's rules for braces that do not pair as lists (`.env{}},}` is
 * `.env}} .env`) are subtle; a guard checks these too, so that no reading of them reaches a
 * protected file it did not look at.
 */
export function bracePieces(raw: string): string[] {
  const chars = charsOf(raw)
  const whole = chars.filter((c) => c.quoted || (c.char !== '{' && c.char !== '}')).map((c) => c.char).join('')
  const pieces: string[] = [whole]
  let piece = ''
  for (const c of chars) {
    if (!c.quoted && (c.char === '{' || c.char === '}' || c.char === ',')) {
      pieces.push(piece)
      piece = ''
    } else piece += c.char
  }
  pieces.push(piece)
  return [...new Set(pieces.filter((text) => text !== ''))]
}

/** A word with brace syntax as a glob: each brace group of its text (innermost first) read as `*`. */
export function braceGlob(text: string): string {
  let glob = text
  for (let round = 0; round < 64; round++) {
    const next = glob.replace(/\{[^{}]*\}/g, '*')
    if (next === glob) break
    glob = next
  }
  return glob
}

/** True when a word as written holds an unquoted comma: a brace list, where a range-only word has none. */
export function hasUnquotedComma(raw: string): boolean {
  return charsOf(raw).some((c) => c.char === ',' && !c.quoted)
}
