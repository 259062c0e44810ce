import type { SearchedCollection, SearchedRecord } from '../projects/search-digest.js'
import { hashOf, searchDigest } from '../projects/search-digest.js'
import { searchForm, wordTerms } from '../projects/search-terms.js'

/**
 * A record's search digest as the releases of version 1 of the search words wrote it: words split
 * at combining marks (runs of letters and digits only), nothing normalised but the case. For tests
 * of how a database such a release wrote is brought up to date.
 */
export function searchDigestOfWords1(collection: SearchedCollection, record: SearchedRecord): Uint8Array {
  return searchDigest(collection, record, (text) => (text === '' ? [] : wordTerms(text.toLowerCase().match(WORDS_1) ?? []).map(hashOf)))
}

const WORDS_1 = /[\p{L}\p{N}]+/gu

/**
 * A record's search digest as the releases of version 2 of the search words wrote it: words in
 * their search form (as now), but a run of Chinese, Japanese or Korean letters one word. For tests of
 * how a database such a release wrote is brought up to date.
 */
export function searchDigestOfWords2(collection: SearchedCollection, record: SearchedRecord): Uint8Array {
  return searchDigest(collection, record, (text) => (text === '' ? [] : wordTerms(searchForm(text).match(WORDS_2) ?? []).map(hashOf)))
}

const WORDS_2 = /[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu
