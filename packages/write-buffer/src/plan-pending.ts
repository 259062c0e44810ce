import type { CollectionName, CollectionRecords, Fact, RecordKey, ScoringRules, TrackerStore } from '@agent-tracker/core'
import type { PlannedRecord, RecordReader } from '@agent-tracker/core/store'
import { planFacts, recordSlot } from '@agent-tracker/core/store'

/** A stored record (or its absence) that planning read, by slot. */
export interface FetchedRecord {
  readonly collection: CollectionName
  readonly key: RecordKey
  readonly record: unknown
}

/** Planned records by slot, and the stored records they were planned from. */
export interface PlannedView {
  readonly writes: ReadonlyMap<string, PlannedRecord>
  readonly fetched: ReadonlyMap<string, FetchedRecord>
}

/** Nothing planned, nothing read. */
export const EMPTY_VIEW: PlannedView = { writes: new Map(), fetched: new Map() }

/**
 * Plans `facts` on top of `base` (records already planned, then records already fetched), as a
 * flush would, without writing. The planner reads synchronously, so records it asks for that
 * `base` lacks are fetched from the store and it is run again until it asks for nothing new
 * (usually two or three rounds). Planning A then B onto the result equals planning A and B at once.
 */
export async function planOnto(inner: TrackerStore, rules: ScoringRules, facts: readonly Fact[], base: PlannedView): Promise<PlannedView> {
  if (facts.length === 0) return base
  const fetched = new Map(base.fetched)
  for (;;) {
    const missing = new Map<string, { collection: CollectionName; key: RecordKey }>()
    const reader: RecordReader = {
      get: <C extends CollectionName>(collection: C, key: RecordKey) => {
        const slot = recordSlot(collection, key)
        const known = base.writes.get(slot) ?? fetched.get(slot)
        if (known === undefined) missing.set(slot, { collection, key })
        return known?.record as CollectionRecords[C] | undefined
      },
    }
    const plan = planFacts(reader, facts, rules)
    if (missing.size === 0) {
      const writes = new Map(base.writes)
      for (const write of plan.writes) writes.set(recordSlot(write.collection, write.key), write)
      return { writes, fetched }
    }
    await Promise.all(
      [...missing].map(async ([slot, { collection, key }]) => {
        fetched.set(slot, { collection, key, record: await inner.get(collection, key) })
      }),
    )
  }
}
