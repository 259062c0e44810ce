import type { CountedRecord } from '../rollups/usage-rollup.js'
import { COUNTED_COLLECTIONS, addCountersInPlace, countInRollup, countersOf, hasCounters } from '../rollups/usage-rollup.js'
import type { CollectionName, CollectionRecords, UsageRecord } from '../store/records.js'
import { COLLECTIONS, recordKey } from '../store/records.js'
import type { ImportResult, RecordBatch } from '../store/tracker-store.js'
import { dayOf } from '../time/iso-timestamp.js'
import { rollupDraft } from './plan-effects.js'
import type { KeyParts, PlannedRecord, PlanOverlay, RecordReader } from './plan-overlay.js'
import { createPlanOverlay } from './plan-overlay.js'

/** The writes of an import and what it did. */
export interface ImportPlan extends ImportResult {
  readonly writes: readonly PlannedRecord[]
}

/**
 * Plans an additive import: a record whose key is stored (or earlier in the batch) is skipped,
 * never overwritten. The day rollups stay exact: an imported commit, bug or grade event is counted
 * in its setup's rollup of its project and day, and an imported rollup gives its counters (tool
 * calls, tokens, cost, …) as the `baseline` of a rollup that has none of its own yet — a new one,
 * or one only imported events made; a rollup with counters of its own is left alone, like any
 * stored record. Imported rollups' commit, bug and grade counts are left out: the imported
 * records themselves count them. Pure, like `planFacts`.
 */
export function planImport(reader: Pick<RecordReader, 'get'>, batch: RecordBatch): ImportPlan {
  // An import claims no fact and re-points nothing: it only reads records by key.
  const overlay = createPlanOverlay({ get: (collection, key) => reader.get(collection, key), claimFact: () => true, recordsSince: () => [] })
  let written = 0
  let skipped = 0
  // Rollups first: an imported event must not create a rollup that then shadows the imported one.
  for (const incoming of batch.usage ?? []) {
    if (importRollup(overlay, incoming)) written += 1
    else skipped += 1
  }
  for (const collection of COLLECTIONS) {
    if (collection === 'usage') continue
    for (const record of batch[collection] ?? []) {
      if (importRecord(overlay, collection, record)) written += 1
      else skipped += 1
    }
  }
  return { writes: overlay.writes(), written, skipped }
}

function importRecord<C extends CollectionName>(overlay: PlanOverlay, collection: C, record: CollectionRecords[C]): boolean {
  const key = recordKey(collection, record)
  const slot = overlay.slot(collection, ...(key as KeyParts))
  if (slot.record !== undefined) return false
  overlay.put(slot, record)
  if (COUNTED_COLLECTIONS.has(collection)) {
    const counted = record as unknown as CountedRecord
    countInRollup(rollupDraft(overlay, counted.setup, counted.project, dayOf(counted.at)), collection, counted)
  }
  return true
}

function importRollup(overlay: PlanOverlay, incoming: UsageRecord): boolean {
  const slot = overlay.slot('usage', incoming.setup, incoming.project, incoming.day)
  if (slot.record !== undefined && (slot.record.baseline !== undefined || hasCounters(slot.record) || !hasCounters(incoming))) return false
  const rollup = rollupDraft(overlay, incoming.setup, incoming.project, incoming.day)
  const counters = countersOf(incoming)
  addCountersInPlace(rollup, counters)
  rollup.baseline = counters
  return true
}

/** The day rollups a batch of records alone adds up to (its commits, bugs, grade events and rollups), by key. */
export function rollUpRecords(batch: RecordBatch): UsageRecord[] {
  const plan = planImport({ get: () => undefined }, batch)
  return plan.writes.flatMap((write) => (write.collection === 'usage' ? [write.record] : []))
}
