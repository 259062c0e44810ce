import type { CollectionName, CollectionRecords, RecordQuery } from '@agent-tracker/core'
import { compareKeys, matchesQuery, orderAndLimit, recordKey, recordSlot } from '@agent-tracker/core/store'
import type { PlannedChange } from './plan-pending.js'

/** The planned changes of one collection. */
export function plannedIn<C extends CollectionName>(collection: C, writes: Iterable<PlannedChange>): (PlannedChange & { collection: C })[] {
  const found: (PlannedChange & { collection: C })[] = []
  for (const write of writes) if (write.collection === collection) found.push(write as PlannedChange & { collection: C })
  return found
}

/** A query's limit widened so that planned records replacing stored ones cannot push matches out. */
export function widenLimit(query: RecordQuery, overlay: readonly PlannedChange[]): RecordQuery {
  return query.limit === undefined ? query : { ...query, limit: query.limit + overlay.length }
}

/**
 * Stored records matching a (normalised) query with planned changes laid over them: a planned
 * record replaces the stored one with its key, and drops it when it no longer matches; a key
 * planned empty drops it.
 */
export function mergeFound<C extends CollectionName>(
  collection: C,
  stored: readonly CollectionRecords[C][],
  overlay: readonly (PlannedChange & { collection: C })[],
  query: RecordQuery,
): CollectionRecords[C][] {
  const merged = new Map<string, CollectionRecords[C]>()
  for (const record of stored) merged.set(recordSlot(collection, recordKey(collection, record)), record)
  for (const write of overlay) {
    const slot = recordSlot(collection, write.key)
    const record = write.record as CollectionRecords[C] | undefined
    if (record !== undefined && matchesQuery(collection, record, query)) merged.set(slot, record)
    else merged.delete(slot)
  }
  return orderAndLimit(collection, [...merged.values()], query)
}

/** Stored records in key order with planned changes laid over them (a key planned empty left out), still in key order. */
export async function* mergeInKeyOrder<C extends CollectionName>(
  collection: C,
  stored: AsyncIterable<CollectionRecords[C]>,
  overlay: readonly (PlannedChange & { collection: C })[],
): AsyncIterable<CollectionRecords[C]> {
  const ahead = [...overlay].sort((a, b) => compareKeys(a.key, b.key))
  let next = 0
  for await (const record of stored) {
    const key = recordKey(collection, record)
    let write = ahead.at(next)
    while (write !== undefined && compareKeys(write.key, key) < 0) {
      if (write.record !== undefined) yield write.record as CollectionRecords[C]
      write = ahead.at(++next)
    }
    if (write !== undefined && compareKeys(write.key, key) === 0) {
      if (write.record !== undefined) yield write.record as CollectionRecords[C]
      next += 1
    } else {
      yield record
    }
  }
  for (const rest of ahead.slice(next)) if (rest.record !== undefined) yield rest.record as CollectionRecords[C]
}
