import type { CollectionName, CollectionRecords, RecordBatch, TrackerStore } from '@agent-tracker/core'

/** Collections keyed by time, where reading a zone-less time in another zone would make a second copy. */
const TIME_KEYED = ['gradeEvents', 'bugs', 'activities'] as const satisfies readonly CollectionName[]

/** The id prefix of records made from legacy data: stable whatever zone their time was read in. */
const LEGACY_ID = 'legacy-'

/** The most two readings of one wall-clock time in different zones can differ (UTC−12 to UTC+14), and a margin. */
const ZONE_SPAN_MS = 27 * 3_600_000

/**
 * Leaves out of a batch the grade events, bugs and activities made from legacy data that the store
 * already holds for the same setup under the same id at another time less than a day away: the same
 * entry, read in another time zone (on another machine, or with another `--timezone`). Returns the
 * rest and how many were left out.
 * @throws whatever the store's `find` throws.
 */
export async function withoutZoneShiftedCopies(store: TrackerStore, batch: RecordBatch): Promise<{ readonly batch: RecordBatch; readonly dropped: number }> {
  let dropped = 0
  const kept: { -readonly [C in CollectionName]?: readonly CollectionRecords[C][] } = { ...batch }
  for (const collection of TIME_KEYED) {
    const records = batch[collection] ?? []
    const bySetup = new Map<string, CollectionRecords[typeof collection][]>()
    // Pushed onto, and the span found by a loop: a journal of a hundred thousand entries, copied per
    // entry or spread into Math.min, took quadratic time and then overflowed the stack.
    for (const record of records) {
      if (!record.id.startsWith(LEGACY_ID)) continue
      const ofSetup = bySetup.get(record.setup)
      if (ofSetup === undefined) bySetup.set(record.setup, [record])
      else ofSetup.push(record)
    }
    const shifted = new Set<CollectionRecords[typeof collection]>()
    for (const [setup, legacy] of bySetup) {
      let earliest = Number.POSITIVE_INFINITY
      let latest = Number.NEGATIVE_INFINITY
      for (const record of legacy) {
        const time = Date.parse(record.at)
        if (time < earliest) earliest = time
        if (time > latest) latest = time
      }
      const since = new Date(earliest - ZONE_SPAN_MS).toISOString()
      const until = new Date(latest + ZONE_SPAN_MS).toISOString()
      const stored = new Map((await store.find(collection, { setup, since, until, order: 'any' })).map((record) => [record.id, record.at]))
      for (const record of legacy) {
        const at = stored.get(record.id)
        if (at !== undefined && at !== record.at && Math.abs(Date.parse(at) - Date.parse(record.at)) <= ZONE_SPAN_MS) shifted.add(record)
      }
    }
    dropped += shifted.size
    if (shifted.size > 0) (kept as Record<string, unknown>)[collection] = records.filter((record) => !shifted.has(record))
  }
  return { batch: kept, dropped }
}
