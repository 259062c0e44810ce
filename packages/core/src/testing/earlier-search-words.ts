import type { SearchedCollection, SearchedRecord } from '../projects/search-digest.js'
import { hashOf, searchDigest } from '../projects/search-digest.js'
import { wordTerms } from '../projects/search-terms.js'

/**
 * A record's search digest as the releases of version 1 of the search words wrote it: words split
 * at combining marks (runs of letters and digits only), nothing normalised but the case. For tests
 * of how a database such a release wrote is brought up to date.
 */
export function searchDigestOfWords1(collection: SearchedCollection, record: SearchedRecord): Uint8Array {
  return searchDigest(collection, record, (text) => (text === '' ? [] : wordTerms(text.toLowerCase().match(WORDS_1) ?? []).map(hashOf)))
}

const WORDS_1 = /[\p{L}\p{N}]+/gu
