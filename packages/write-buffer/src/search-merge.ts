import type { RecordQuery, TrackerStore } from '@agent-tracker/core'
import type { DigestedEntry, SearchedCollection, SearchedRecord } from '@agent-tracker/core/store'
import { compareKeys, matchesQuery, recordEntry, recordSlot } from '@agent-tracker/core/store'
import type { PlannedChange } from './plan-pending.js'

/** Where a stored record a planned change replaces is in the search index: its time, by slot. */
export type ReplacedTimes = ReadonlyMap<string, string>

/**
 * The time each stored record a planned change replaces or removes is indexed at, by slot (a
 * change to a key nothing is stored under replaces nothing). A few reads: one per planned record
 * of the collection, usually none.
 */
export async function replacedTimes(inner: TrackerStore, collection: SearchedCollection, overlay: readonly PlannedChange[]): Promise<ReplacedTimes> {
  const stored = await Promise.all(overlay.map((change) => inner.get(collection, change.key)))
  const times = new Map<string, string>()
  overlay.forEach((change, index) => {
    const record = stored[index]
    if (record !== undefined) times.set(recordSlot(collection, change.key), record.at)
  })
  return times
}

/**
 * Stored search entries of a (normalised) window, newest first as the store gives them, with
 * planned changes laid over them, as `mergeFound` lays them over records: an entry whose
 * record a change replaces or removes is left out, and each planned record in the window comes in
 * as an entry holding it (a search reads the same words from a record as from its digest), in
 * its place by time, ties by key as the index orders them. `replaced` gives the time each stored
 * record under a planned key is indexed at: only entries of those times have their keys decoded.
 */
export function mergeSearchEntries(
  collection: SearchedCollection,
  stored: readonly DigestedEntry[],
  overlay: readonly PlannedChange[],
  replaced: ReplacedTimes,
  window: RecordQuery,
): DigestedEntry[] {
  const times = new Set(replaced.values())
  const slots = new Set(replaced.keys())
  const kept = stored.filter((entry) => !times.has(entry.at()) || !slots.has(recordSlot(collection, entry.key())))
  const added = overlay
    .flatMap((change) => (change.record !== undefined && matchesQuery(collection, change.record as SearchedRecord, window) ? [recordEntry(collection, change.record as SearchedRecord)] : []))
    .sort(newestFirst)
  const merged = mergeNewestFirst(kept, added)
  return window.limit === undefined ? merged : merged.slice(0, window.limit)
}

/** Two lists each newest first, as one. */
function mergeNewestFirst(stored: readonly DigestedEntry[], added: readonly DigestedEntry[]): DigestedEntry[] {
  if (added.length === 0) return [...stored]
  const merged: DigestedEntry[] = []
  let next = 0
  for (const entry of stored) {
    let pending = added[next]
    while (pending !== undefined && newestFirst(pending, entry) < 0) {
      merged.push(pending)
      pending = added[++next]
    }
    merged.push(entry)
  }
  // One at a time: a spread of a large remainder would pass more arguments than the stack holds.
  for (const entry of added.slice(next)) merged.push(entry)
  return merged
}

/** The index's order, reversed: newer first, and of one time the greater key first (keys are decoded only then). */
function newestFirst(a: DigestedEntry, b: DigestedEntry): number {
  const at = a.at()
  const bt = b.at()
  if (at !== bt) return at < bt ? 1 : -1
  return compareKeys(b.key(), a.key())
}
