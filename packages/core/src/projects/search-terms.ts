// The words a prior-art search matches: what `terms` cuts a text into, and how a search counts the
// query's terms in a text without cutting every word of it out.

const STOPWORDS = new Set('a an and are as at be but by for from has have in into is it its of on or our that the their then this to was we were will with add added fix fixed make made use used update updated'.split(' '))

/**
 * The version of the rules below that cut a text into terms. Stores that keep terms (as search
 * digests do) keep this beside them, and rebuild what an earlier version cut: version 1 split words
 * at combining marks and normalised nothing; version 2 read a run of Chinese, Japanese or Korean
 * letters as one word.
 */
export const SEARCH_WORDS_VERSION = 3

/**
 * Lower-case word stems, without stopwords: the words of the text {@link searchForm} gives (runs of
 * letters, digits and the combining marks after them, with the letters of scripts written without
 * spaces cut into pairs, see {@link cutWords}), less one-character words and stopwords, their
 * English endings stemmed.
 */
export function terms(text: string): string[] {
  return wordTerms(cutWords(searchForm(text).match(WORDS) ?? NO_WORDS))
}

/**
 * Words as a search reads them: a run of Han, Hiragana, Katakana or Hangul inside a word — scripts
 * written without spaces between words, or (Korean) with particles joined to them — is cut into its
 * overlapping pairs of characters (`数据库连接` reads `数据`, `据库`, `库连`, `连接`), as full-text
 * search engines commonly read these scripts without a dictionary; so a query of two or more such
 * characters finds the texts that hold them. A run of one character is left out, as one-character
 * words are. The rest of a word (`api` in `api接口`) stays whole.
 */
export function cutWords(words: readonly string[]): readonly string[] {
  if (!words.some((word) => PAIRED.test(word))) return words
  const cut: string[] = []
  for (const word of words) {
    if (!PAIRED.test(word)) {
      cut.push(word)
      continue
    }
    for (const part of word.match(PAIRED_PARTS) ?? NO_WORDS) {
      if (!PAIRED.test(part)) {
        cut.push(part)
        continue
      }
      // By code point: a Han character past U+FFFF is one character, two UTF-16 units.
      const characters = Array.from(part)
      for (let index = 0; index + 1 < characters.length; index++) cut.push(`${characters[index] ?? ''}${characters[index + 1] ?? ''}`)
    }
  }
  return cut
}

/**
 * A letter of a script whose words are read in pairs (see {@link cutWords}), or a mark or sign used
 * with one (Script_Extensions: the Katakana-Hiragana prolonged sound mark `ー`, the iteration mark `々`).
 */
const PAIRED = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u

/** A word's runs of such letters, and the runs between them. */
const PAIRED_PARTS = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+|[^\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]+/gu

/** The terms of lower-case words: one-character words and stopwords left out, English endings stemmed. */
export function wordTerms(words: readonly string[]): string[] {
  return words.filter((word) => word.length > 1 && !STOPWORDS.has(word)).map(stem)
}

/** Whether a query holds a term to look for (see {@link terms}): not only punctuation, emoji, single characters or stopwords. */
export function hasSearchTerms(query: string): boolean {
  return terms(query).length > 0
}

/**
 * A text as its words are read: in Unicode's compatibility form (NFKC: full-width and other
 * compatibility letters and digits become their plain ones, and a letter typed as a base letter and
 * an accent is one with the letter typed precomposed), lower-cased, and with the accents of Latin
 * letters left out (`résumé` reads `resume`, as full-text search commonly does for Latin). The
 * combining marks of other scripts are kept: a Devanagari vowel sign or virama is part of its word.
 * ASCII text is only lower-cased: the rest changes none of it.
 */
export function searchForm(text: string): string {
  if (!NON_ASCII.test(text)) return text.toLowerCase()
  return text.normalize('NFKC').toLowerCase().normalize('NFD').replace(LATIN_ACCENTS, '$1').normalize('NFC')
}

/** A word starts with a letter or digit and runs on through letters, digits and combining marks. */
const WORDS = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu

/** The combining marks after a Latin letter, in a text decomposed (NFD): its accents. */
const LATIN_ACCENTS = /(\p{Script=Latin})\p{M}+/gu

/**
 * How often a text holds each wanted term (in `wanted`'s order), or undefined when it holds none —
 * what `terms` would find, without cutting every word out of every text. A stem only shortens or
 * swaps a word's end, so a word can stem to a wanted term only when it starts with that term less
 * its last letter (its probe): in ASCII text (its words runs of `a`–`z` and `0`–`9` once
 * lower-cased) one regular expression finds just the words that start with a probe; other text is
 * put in its search form and cut into words as `terms` cuts it, once it holds a probe at all.
 */
export function wantedTermCounter(wanted: readonly string[]): (text: string) => number[] | undefined {
  const indexOf = new Map(wanted.map((term, index) => [term, index]))
  const probes = wanted.map((term) => (term.length > 2 ? term.slice(0, -1) : term))
  // Probes are runs of letters and digits: an ASCII one needs no escaping, and ASCII text cannot hold any other.
  const asciiProbes = probes.filter((probe) => /^[a-z0-9]+$/.test(probe))
  const probed = asciiProbes.length === 0 ? undefined : probedWords(asciiProbes)
  // Runs once per document searched, most of which hold no wanted term: nothing is allocated for those.
  return (text) => {
    let words: readonly string[]
    if (NON_ASCII.test(text)) {
      const form = searchForm(text)
      if (!probes.some((probe) => form.includes(probe))) return undefined
      words = cutWords(form.match(WORDS) ?? NO_WORDS)
    } else if (probed !== undefined) {
      words = probed(text.toLowerCase())
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
