import type { CollectionName, CollectionRecords, RecordKey, ScoringRules, TrackerStore } from '@agent-tracker/core'
import type { DeletedRecord, PlannedRecord, RecordReader, TimelineCollection } from '@agent-tracker/core/store'
import { normaliseQuery, planFacts, recordSlot } from '@agent-tracker/core/store'
import { mergeFound, plannedIn } from './overlay-merge.js'
import type { PendingFacts } from './read-scope.js'

/**
 * What planning read from the store, by slot: a record (or its absence) under a key; or, with
 * `range`, the records of a setup from a time on, or within a span (what an amend re-points, and the
 * commits that may have replaced one), as `record`.
 */
export interface FetchedRecord {
  readonly collection: CollectionName
  readonly key: RecordKey
  readonly record: unknown
  readonly range?: TimeRange
}

/** A setup's records from `since` on, or up to `until` (exclusive) when given. */
export interface TimeRange {
  readonly setup: string
  readonly since: string
  readonly until?: string
}

/** A record the pending facts would put, or (without a record) a key they would leave empty. */
export type PlannedChange = PlannedRecord | (DeletedRecord & { readonly record?: undefined })

/** Planned changes by slot, and the stored records they were planned from. */
export interface PlannedView {
  readonly writes: ReadonlyMap<string, PlannedChange>
  readonly fetched: ReadonlyMap<string, FetchedRecord>
}

/** The slot of a range a planner read (see {@link FetchedRecord}); no record slot looks like it. */
export function rangeSlot(collection: CollectionName, range: TimeRange): string {
  return `range\u0000${recordSlot(collection, range.until === undefined ? [range.setup, range.since] : [range.setup, range.since, range.until])}`
}

/** The query that reads a range again from the store. */
export function rangeQuery(range: TimeRange): { setup: string; since: string; until?: string; order: 'oldest' } {
  return { setup: range.setup, since: range.since, ...(range.until === undefined ? {} : { until: range.until }), order: 'oldest' }
}

/** Nothing planned, nothing read. */
export const EMPTY_VIEW: PlannedView = { writes: new Map(), fetched: new Map() }

/**
 * Plans pending facts on top of `base` (records already planned, then records already fetched), as
 * a flush would, without writing. The planner reads synchronously, so records it asks for that
 * `base` lacks, and fact ids `storedIds` does not know yet, are fetched from the store and it is
 * run again until it asks for nothing new (usually two or three rounds). A fact is a repeat when an
 * earlier pending fact has its id or the store has it. Planning A then B onto the result equals
 * planning A and B at once.
 */
export async function planOnto(inner: TrackerStore, rules: ScoringRules, pending: PendingFacts, base: PlannedView, storedIds: Map<string, boolean>): Promise<PlannedView> {
  const { facts, repeats } = pending
  if (facts.length === 0) return base
  const fetched = new Map(base.fetched)
  for (;;) {
    const missing = new Map<string, { collection: CollectionName; key: RecordKey; range?: TimeRange }>()
    const missingIds: string[] = []
    let claims = 0
    const reader: RecordReader = {
      // Planning claims every fact's id once, in order: the claim count is the fact's position.
      claimFact: (id) => {
        const position = claims++
        if (repeats[position] === true) return false
        const stored = storedIds.get(id)
        if (stored === undefined) missingIds.push(id)
        return stored !== true
      },
      get: <C extends CollectionName>(collection: C, key: RecordKey) => {
        const slot = recordSlot(collection, key)
        const known = base.writes.get(slot) ?? fetched.get(slot)
        if (known === undefined) missing.set(slot, { collection, key })
        return known?.record as CollectionRecords[C] | undefined
      },
      recordsSince: <C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string) => {
        const range: TimeRange = until === undefined ? { setup, since } : { setup, since, until }
        const slot = rangeSlot(collection, range)
        const stored = fetched.get(slot)
        if (stored === undefined) {
          missing.set(slot, { collection, key: [setup, since], range })
          return []
        }
        return withPlanned(collection, stored.record as CollectionRecords[C][], base.writes, range)
      },
    }
    const plan = planFacts(reader, facts, rules)
    if (missing.size === 0 && missingIds.length === 0) {
      const writes = new Map(base.writes)
      for (const write of plan.writes) writes.set(recordSlot(write.collection, write.key), write)
      for (const gone of plan.deletes) writes.set(recordSlot(gone.collection, gone.key), gone)
      return { writes, fetched }
    }
    const known = missingIds.length === 0 ? undefined : inner.knownFactIds(missingIds)
    await Promise.all(
      [...missing].map(async ([slot, { collection, key, range }]) => {
        const record = range === undefined ? await inner.get(collection, key) : await inner.find(collection, rangeQuery(range))
        fetched.set(slot, { collection, key, record, ...(range === undefined ? {} : { range }) })
      }),
    )
    if (known !== undefined) {
      const stored = await known
      for (const id of missingIds) storedIds.set(id, stored.has(id))
    }
  }
}

/** Stored records of a setup in a range of time, with what earlier pending facts planned laid over them, oldest first. */
function withPlanned<C extends TimelineCollection>(collection: C, stored: readonly CollectionRecords[C][], writes: ReadonlyMap<string, PlannedChange>, range: TimeRange): CollectionRecords[C][] {
  return mergeFound(collection, stored, plannedIn(collection, writes.values()), normaliseQuery(collection, rangeQuery(range)))
}
