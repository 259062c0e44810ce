import type { CollectionName, CollectionRecords, RecordKey, ScoringRules, TrackerStore } from '@agent-tracker/core'
import type { PlannedRecord, RecordReader } from '@agent-tracker/core/store'
import { planFacts, recordSlot } from '@agent-tracker/core/store'
import type { PendingFacts } from './read-scope.js'

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
    const missing = new Map<string, { collection: CollectionName; key: RecordKey }>()
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
    }
    const plan = planFacts(reader, facts, rules)
    if (missing.size === 0 && missingIds.length === 0) {
      const writes = new Map(base.writes)
      for (const write of plan.writes) writes.set(recordSlot(write.collection, write.key), write)
      return { writes, fetched }
    }
    const known = missingIds.length === 0 ? undefined : inner.knownFactIds(missingIds)
    await Promise.all(
      [...missing].map(async ([slot, { collection, key }]) => {
        fetched.set(slot, { collection, key, record: await inner.get(collection, key) })
      }),
    )
    if (known !== undefined) {
      const stored = await known
      for (const id of missingIds) storedIds.set(id, stored.has(id))
    }
  }
}
