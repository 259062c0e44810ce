import { describe, expect, it } from 'vitest'
import { searchPriorArtReference } from '../../test/prior-art-reference.js'
import type { Grade } from '../facts/grade.js'
import type { RandomSource } from '../stats/seeded-random.js'
import { seededRandom } from '../stats/seeded-random.js'
import type { PriorArtRecords } from './prior-art.js'
import type { CommitRecord } from '../store/records.js'
import { recordKey } from '../store/records.js'
import type { PriorArtHit, RankedHit, SearchEntries } from './prior-art.js'
import { entriesOf, preparePriorArtSearch, priorArtHit, projectScopes, searchPriorArt, shownHits, startPriorArtSearch } from './prior-art.js'
import type { DigestedEntry, SearchEntry, SearchedCollection, SearchedRecord } from './search-digest.js'
import { searchDigest } from './search-digest.js'

// Words chosen to meet every turn of the term rules: stems (-s, -es, -ed, -ing, -ies, -ied), words
// a stem turns into a stopword or a query term, capitals, digits, and non-ASCII letters and digits
// (İ lower-cases to two characters, a final Σ to ς, ² is a digit).
const WORDS = [
  'retry', 'retries', 'retried', 'Retrying', 'flaky', 'FLAKY', 'flakies', 'network', 'networks', 'test', 'tests',
  'tested', 'testing', 'Tes', 'the', 'The', 'used', 'uses', 'use', 'a', 'an', 'fix', 'fixes', 'İstanbul', 'ΣΟΦΟΣ',
  'σοφος', 'café', 'naïve', 'x²', 'v2', 'e2e', 'build', 'builds', 'cache', 'caches', 'broke', 'failed', 'failure',
  'wrong', 'crash', 'stripe', 'webhooks', 'webhook', 'payment', 'payments', 'class', 'classes', 'i', '42',
  // Combining marks inside words, one word precomposed and decomposed, with and without accents, in compatibility forms.
  'हिन्दी', 'अनुवाद', 'अनार', 'Re\u0301sume\u0301', 'résumé', 'RESUME', 'ｗｅｂｈｏｏｋ', 'йогурт', 'ﬁx', '\u0301',
  // Scripts read as pairs of characters, alone, in runs, beside Latin letters, past U+FFFF.
  '数据库', '数据', '连接', '库', 'データ', 'ベース', '데이터를', 'api接口', '𠀀𠀁', 'ー',
]
const GAPS = [' ', ' ', ' ', ', ', ': ', ' — ', ' · ', '/', '-', '_', '\n', '']
const GRADES: readonly (Grade | undefined)[] = [undefined, -1, 1, 2, 5]
const SCOPES = [undefined, 'cli', 'web-app', 'unknown']
/** The project a search is for: none, one of the history's, or one it has no work of. */
const CURRENT_PROJECTS = [undefined, '/w/one', '/w/two', '/w/elsewhere']

function pick<T>(random: RandomSource, values: readonly T[]): T {
  return values[Math.floor(random() * values.length)] as T
}

function text(random: RandomSource, most: number): string {
  const count = Math.floor(random() * (most + 1))
  return Array.from({ length: count }, () => `${pick(random, WORDS)}${pick(random, GAPS)}`).join('')
}

function history(random: RandomSource): PriorArtRecords {
  const setups = ['a@p/m1', 'b@p/m2', 'c@q/m3']
  const paths = ['/w/one', '/w/two', '/w/three', '/w/four']
  const at = (): string => `2026-0${String(1 + Math.floor(random() * 9))}-1${String(Math.floor(random() * 10))}T00:00:00.000Z`
  // Two hashes are also words a query may hold: a retrospective without a task is titled by its commit's hash when the search holds no message for it.
  const hashes = [...Array.from({ length: 10 }, (_, index) => `h${String(index)}`), 'webhook', 'e2e']
  const maybe = (value: string): string | undefined => (random() < 0.3 ? undefined : value)
  const base = (): { v: 1; setup: string; project: string; at: string } => ({ v: 1, setup: pick(random, setups), project: pick(random, paths), at: at() })
  const many = <T>(most: number, make: (index: number) => T): T[] => Array.from({ length: Math.floor(random() * (most + 1)) }, (_, index) => make(index))
  return {
    projects: paths.map((path) => ({ v: 1, path, name: path, firstSeenAt: '', lastSeenAt: '', ...(random() < 0.25 ? {} : { profile: { language: 'typescript', framework: 'none', scope: pick(random, ['cli', 'web-app', 'api']), dependencies: [], sources: [], fingerprint: '', profiledAt: '' } }) })),
    retrospectives: many(10, () => {
      const userGrade = pick(random, GRADES)
      const agentGrade = pick(random, GRADES)
      const task = maybe(text(random, 5))
      const userNote = maybe(text(random, 4))
      const agentNote = maybe(text(random, 4))
      return { ...base(), commit: pick(random, hashes), updatedAt: '', ...(task === undefined ? {} : { task }), ...(userGrade === undefined ? {} : { userGrade }), ...(agentGrade === undefined ? {} : { agentGrade }), ...(userNote === undefined ? {} : { userNote }), ...(agentNote === undefined ? {} : { agentNote }) }
    }),
    activities: many(12, (index) => ({ ...base(), id: `a${String(index)}`, task: text(random, 5), actions: text(random, 4), outcome: text(random, 3), decisions: text(random, 3) })),
    commits: many(10, () => {
      const task = maybe(text(random, 3))
      return { ...base(), hash: pick(random, hashes), message: text(random, 6), ...(task === undefined ? {} : { task }) }
    }),
    bugs: many(6, (index) => {
      const commit = maybe(pick(random, hashes))
      const note = maybe(text(random, 5))
      return { ...base(), id: `b${String(index)}`, by: 'user', skillPointsAfter: 0, ...(commit === undefined ? {} : { commit }), ...(note === undefined ? {} : { note }) }
    }),
  }
}

describe('searchPriorArt against the plain tokenise-everything search', () => {
  it('finds the same hits, in the same order, with the same relevance, for 400 random histories and queries', () => {
    const random = seededRandom(19)
    let found = 0
    for (let round = 0; round < 400; round++) {
      const records = history(random)
      const query = text(random, 4)
      const scope = pick(random, SCOPES)
      const project = pick(random, CURRENT_PROJECTS)
      const options = { limit: 1 + Math.floor(random() * 10), ...(scope === undefined ? {} : { scope }), ...(project === undefined ? {} : { project }) }
      const expected = searchPriorArtReference(query, records, options)
      expect(searchPriorArt(query, records, options), `query ${JSON.stringify(query)}`).toEqual(expected)
      found += expected.patterns.length + expected.mistakes.length
    }
    // The histories and queries meet: most rounds find something.
    expect(found).toBeGreaterThan(1000)
  })

  it('gives the same answer scanned a slice at a time as in one pass', () => {
    const random = seededRandom(7)
    for (let round = 0; round < 50; round++) {
      const records = history(random)
      const query = text(random, 3)
      const search = startPriorArtSearch(query, entriesOf(records), { scope: 'cli', scopeOf: projectScopes(records.projects) })
      for (let from = 0; from < search.size; from += 3) search.scan(from, from + 3)
      expect(shownHits(search.ranked())).toEqual(searchPriorArtReference(query, records, { scope: 'cli' }))
    }
  })

  it('gives the same answer with its entry headers read a slice at a time, in any order, as in one pass', () => {
    const random = seededRandom(11)
    for (let round = 0; round < 50; round++) {
      const records = history(random)
      const query = text(random, 3)
      const setup = preparePriorArtSearch(query, entriesOf(records), { scope: 'cli', scopeOf: projectScopes(records.projects) })
      // Slices of 1 to 4 entries, the last first: a slice may span two collections.
      const slice = 1 + Math.floor(random() * 4)
      for (let from = Math.floor((setup.size - 1) / slice) * slice; from >= 0; from -= slice) setup.read(from, from + slice)
      const search = setup.start()
      search.scan(0, search.size)
      expect(shownHits(search.ranked()), `query ${JSON.stringify(query)}`).toEqual(searchPriorArtReference(query, records, { scope: 'cli' }))
    }
  })

  it('refuses to start a search before every entry header is read', () => {
    const records = history(seededRandom(5))
    const setup = preparePriorArtSearch('webhook retries', entriesOf(records))
    expect(setup.size).toBeGreaterThan(1)
    setup.read(0, setup.size - 1)
    expect(() => setup.start()).toThrow(RangeError)
    setup.read(setup.size - 1, setup.size)
    expect(setup.start().size).toBeGreaterThan(0)
  })

  it('finds the same hits from digests alone, the records read only for the hits shown', () => {
    const random = seededRandom(23)
    let found = 0
    for (let round = 0; round < 300; round++) {
      const records = history(random)
      const query = text(random, 4)
      const scope = pick(random, SCOPES)
      const project = pick(random, CURRENT_PROJECTS)
      const options = { limit: 1 + Math.floor(random() * 10), ...(scope === undefined ? {} : { scope }), ...(project === undefined ? {} : { project }) }
      // Entries as a store that keeps digests gives them: no record, nothing but the digest until asked.
      const recordOf = new Map<SearchEntry, SearchedRecord>()
      const digested = (collection: SearchedCollection, list: readonly SearchedRecord[]): DigestedEntry[] => list.map((record) => {
        const entry: DigestedEntry = { digest: searchDigest(collection, record), key: () => recordKey(collection, record as never), at: () => record.at }
        recordOf.set(entry, record)
        return entry
      })
      const entries: SearchEntries = {
        retrospectives: digested('retrospectives', records.retrospectives),
        activities: digested('activities', records.activities),
        commits: digested('commits', records.commits),
        bugs: digested('bugs', records.bugs),
      }
      const search = startPriorArtSearch(query, entries, { ...options, scopeOf: projectScopes(records.projects) })
      search.scan(0, search.size)
      const ranked = search.ranked()
      const known = (entry: SearchEntry): SearchedRecord => {
        const record = recordOf.get(entry)
        if (record === undefined) throw new Error('The search gave back an entry it was not given.')
        return record
      }
      const shown = (hit: RankedHit): PriorArtHit => priorArtHit(hit, known(hit.entry), hit.commit === undefined ? undefined : (known(hit.commit) as CommitRecord))
      const expected = searchPriorArtReference(query, records, options)
      expect({ query, patterns: ranked.patterns.map(shown), mistakes: ranked.mistakes.map(shown) }, `query ${JSON.stringify(query)}`).toEqual(expected)
      found += expected.patterns.length + expected.mistakes.length
    }
    expect(found).toBeGreaterThan(700)
  })
})
