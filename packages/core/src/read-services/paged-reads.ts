import type { CollectionName, CollectionRecords } from '../store/records.js'
import { recordKey, recordSlot, recordTime } from '../store/records.js'
import type { RecordQuery, TrackerStore } from '../store/tracker-store.js'

/** How a long read goes: pages of this many records, and what to do between pages. */
export interface PagedRead {
  /** Records per store query; default 1,000. */
  readonly pageSize?: number | undefined
  /** Called between pages: a host lets its event loop turn, a store releases memory. */
  readonly betweenPages?: (() => unknown) | undefined
}

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
  let edge: string | undefined
  let givenAtEdge = new Set<string>()
  while (remaining > 0) {
    const limit = Math.min(pageSize, remaining) + givenAtEdge.size
    const window = newest ? { ...(bound === undefined ? {} : { until: bound }) } : { ...(bound === undefined ? {} : { since: bound }) }
    const page = await store.find(collection, { ...query, ...window, order: newest ? 'newest' : 'oldest', limit })
    let fresh = 0
    for (const record of page) {
      const slot = recordSlot(collection, recordKey(collection, record))
      const time = recordTime(collection, record)
      if (time === edge && givenAtEdge.has(slot)) continue
      if (time !== edge) {
        edge = time
        givenAtEdge = new Set()
        // Newest first, the next page ends just after this instant (`until` is exclusive).
        bound = newest ? new Date(Date.parse(time) + 1).toISOString() : time
      }
      givenAtEdge.add(slot)
      fresh += 1
      remaining -= 1
      yield record
      if (remaining === 0) return
    }
    if (fresh === 0 || page.length < limit) return
    await read.betweenPages?.()
  }
}
