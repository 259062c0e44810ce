// The words a prior-art search matches: what `terms` cuts a text into, and how a search counts the
// query's terms in a text without cutting every word of it out.

const STOPWORDS = new Set('a an and are as at be but by for from has have in into is it its of on or our that the their then this to was we were will with add added fix fixed make made use used update updated'.split(' '))

/** Lower-case word stems, without stopwords. */
export function terms(text: string): string[] {
  return (text.toLowerCase().match(WORDS) ?? [])
    .filter((word) => word.length > 1 && !STOPWORDS.has(word))
    .map(stem)
}

const WORDS = /[\p{L}\p{N}]+/gu

/**
 * How often a text holds each wanted term (in `wanted`'s order), or undefined when it holds none —
 * what `terms` would find, without cutting every word out of every text. A stem only shortens or
 * swaps a word's end, so a word can stem to a wanted term only when it starts with that term less
 * its last letter (its probe): in ASCII text (its words runs of `a`–`z` and `0`–`9` once
 * lower-cased) one regular expression finds just the words that start with a probe; other text is
 * cut into words as `terms` cuts it, once it holds a probe at all.
 */
export function wantedTermCounter(wanted: readonly string[]): (text: string) => number[] | undefined {
  const indexOf = new Map(wanted.map((term, index) => [term, index]))
  const probes = wanted.map((term) => (term.length > 2 ? term.slice(0, -1) : term))
  // Probes are runs of letters and digits: an ASCII one needs no escaping, and ASCII text cannot hold any other.
  const asciiProbes = probes.filter((probe) => /^[a-z0-9]+$/.test(probe))
  const probed = asciiProbes.length === 0 ? undefined : probedWords(asciiProbes)
  // Runs once per document searched, most of which hold no wanted term: nothing is allocated for those.
  return (text) => {
    const lower = text.toLowerCase()
    let words: readonly string[]
    if (NON_ASCII.test(lower)) {
      if (!probes.some((probe) => lower.includes(probe))) return undefined
      words = lower.match(WORDS) ?? NO_WORDS
    } else if (probed !== undefined) {
      words = probed(lower)
    } else {
      return undefined
    }
    let counts: number[] | undefined
    for (const word of words) {
      const term = word.length < 2 || STOPWORDS.has(word) ? undefined : indexOf.get(stem(word))
      if (term === undefined) continue
      counts ??= wanted.map(() => 0)
      counts[term] = (counts[term] ?? 0) + 1
    }
    return counts
  }
}

const NO_WORDS: readonly string[] = []

/**
 * The words of a lower-cased ASCII text that start with one of `probes`: found by one regular
 * expression for a query of everyday size, else (a pasted blob: V8 refuses, when first used, a
 * regular expression that large) by looking each word's starts up among the probes, which takes as
 * long whatever the query's size.
 */
function probedWords(probes: readonly string[]): (lower: string) => readonly string[] {
  const pattern = `(?<![a-z0-9])(?:${probes.join('|')})[a-z0-9]*`
  if (pattern.length <= MAX_PROBE_PATTERN) {
    const probed = new RegExp(pattern, 'g')
    return (lower) => lower.match(probed) ?? NO_WORDS
  }
  const known = new Set(probes)
  const lengths = [...new Set(probes.map((probe) => probe.length))].sort((a, b) => a - b)
  return (lower) => (lower.match(ASCII_WORDS) ?? []).filter((word) => lengths.some((length) => length <= word.length && known.has(word.slice(0, length))))
}

/** The longest probe pattern built into one regular expression: far below what V8 refuses (a 32 K-character word). */
const MAX_PROBE_PATTERN = 8_192

const ASCII_WORDS = /[a-z0-9]+/g

const NON_ASCII = /[\u0080-\uffff]/

function stem(word: string): string {
  if (word.length > 4 && (word.endsWith('ies') || word.endsWith('ied'))) return `${word.slice(0, -3)}y`
  if (word.length > 5 && word.endsWith('ing')) return word.slice(0, -3)
  if (word.length > 4 && word.endsWith('ed')) return word.slice(0, -2)
  if (word.length > 4 && word.endsWith('es')) return word.slice(0, -2)
  if (word.length > 3 && word.endsWith('s') && !word.endsWith('ss')) return word.slice(0, -1)
  return word
}
