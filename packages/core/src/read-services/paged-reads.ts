import type { DigestedEntry, SearchEntry, SearchedCollection, SearchedRecord } from '../projects/search-digest.js'
import type { CollectionName, CollectionRecords, RecordKey } from '../store/records.js'
import { recordKey, recordSlot, recordTime } from '../store/records.js'
import type { PagedRead, RecordQuery, TrackerStore } from '../store/tracker-store.js'

export type { PagedRead } from '../store/tracker-store.js'

/**
 * A timed collection's records in the query's scope and order (oldest first, or newest first),
 * up to its limit, read a page at a time: each page starts at the instant the last one ended,
 * leaving out the records of that instant it gave already. Every store answers such a page from
 * its time order, so no page reads more than it returns.
 */
export async function* pagesInTime<C extends CollectionName>(store: TrackerStore, collection: C, query: RecordQuery, read: PagedRead = {}): AsyncGenerator<CollectionRecords[C]> {
  const pageSize = read.pageSize ?? 1000
  const newest = query.order !== 'oldest'
  let remaining = query.limit ?? Number.POSITIVE_INFINITY
  let bound = newest ? query.until : query.since
  // The instant the last page ended at, and the records of it given already: the next page starts there again.
  let edge: string | undefined
  let givenAtEdge = new Set<string>()
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining) + givenAtEdge.size
    const window = newest ? { ...(bound === undefined ? {} : { until: bound }) } : { ...(bound === undefined ? {} : { since: bound }) }
    const page = await store.find(collection, { ...query, ...window, order: newest ? 'newest' : 'oldest', limit })
    let fresh = 0
    // Where this page's records at `edge` begin, and whether they go on from the page before.
    let edgeFrom = 0
    let carried = true
    let index = -1
    for (const record of page) {
      index += 1
      const time = recordTime(collection, record)
      if (time !== edge) {
        edge = time
        edgeFrom = index
        carried = false
        // Newest first, the next page ends just after this instant (`until` is exclusive).
        bound = newest ? justAfter(time) : time
      } else if (carried && givenAtEdge.has(recordSlot(collection, recordKey(collection, record)))) continue
      fresh += 1
      remaining -= 1
      yield record
      if (remaining === 0) return
    }
    if (fresh === 0 || page.length < limit) return
    // The records of the page's last instant, not a set per record read: those given on earlier
    // pages came first in this one (it started at that instant), so the page holds them all.
    givenAtEdge = new Set()
    for (const record of page.slice(edgeFrom)) givenAtEdge.add(recordSlot(collection, recordKey(collection, record)))
    await read.betweenPages?.()
  }
}

/**
 * A store's search entries of a collection (see `TrackerStore.visitSearchEntries`), newest first,
 * in the query's window, at most its limit, as a list: each holding a copy of its digest.
 * @throws {RangeError} for a store that keeps no search entries.
 */
export async function searchEntryList(store: Pick<TrackerStore, 'visitSearchEntries'>, collection: SearchedCollection, query: RecordQuery = {}): Promise<DigestedEntry[]> {
  if (store.visitSearchEntries === undefined) throw new RangeError('This store keeps no search entries.')
  const list: DigestedEntry[] = []
  await store.visitSearchEntries(collection, query, (entry, digest) => {
    list.push(new KeptEntry(entry, digest.slice()))
  })
  return list
}

/** An entry with a copy of its digest (one object: a page of a search holds hundreds). */
class KeptEntry implements DigestedEntry {
  readonly digest: Uint8Array
  readonly record?: SearchedRecord
  readonly #entry: SearchEntry

  constructor(entry: SearchEntry, digest: Uint8Array) {
    this.#entry = entry
    this.digest = digest
    if (entry.record !== undefined) this.record = entry.record
  }

  key(): RecordKey {
    return this.#entry.key()
  }

  at(): string {
    return this.#entry.at()
  }
}

/** Reads search entries of one collection (see {@link searchEntryList}): newest first, in a window, at most a limit. */
export type SearchEntryRead = (query: RecordQuery) => Promise<DigestedEntry[]>

/**
 * Search entries in the query's window (`since`, `until`), newest first, up to its limit, read a
 * page at a time, each page older than the last: as one read gives them. A page ends with whole
 * instants: the entries of the instant it ended at may go on past it, so those come with the next
 * page, which ends just after that instant; an instant that fills a page alone is read whole. So
 * only the times of a page's last few entries are read, and never a key.
 */
export async function* searchEntryPages(read: SearchEntryRead, query: RecordQuery, paged: PagedRead = {}): AsyncGenerator<DigestedEntry> {
  const pageSize = paged.pageSize ?? 1000
  const window = (until: string | undefined, limit: number, since = query.since): RecordQuery => ({ ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), limit })
  let remaining = query.limit ?? Number.POSITIVE_INFINITY
  let until = query.until
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining)
    const page = await read(window(until, limit))
    const last = page.at(-1)
    if (last === undefined) return
    // The last page of the read: every entry it has is one of the read's.
    if (page.length < limit || limit === remaining) {
      yield* page
      return
    }
    const edge = last.at()
    const whole = wholeInstants(page, edge)
    // One instant filled the page: it is read whole (at most what is left), and the next page is older.
    const given = whole.length > 0 ? whole : await read(window(justAfter(edge), remaining, edge))
    yield* given
    remaining -= given.length
    until = whole.length > 0 ? justAfter(edge) : edge
    await paged.betweenPages?.()
  }
}

/** A page's entries before those of its last instant, `edge` (newest first: those are at its end). */
function wholeInstants(page: readonly DigestedEntry[], edge: string): readonly DigestedEntry[] {
  let end = page.length
  while (end > 0 && page[end - 1]?.at() === edge) end -= 1
  return page.slice(0, end)
}

/** The first instant after `at` that a store tells apart: `until` just after it takes in `at` (it is exclusive). */
function justAfter(at: string): string {
  return new Date(Date.parse(at) + 1).toISOString()
}
