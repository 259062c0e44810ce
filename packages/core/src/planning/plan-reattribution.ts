import type { Fact } from '../facts/facts.js'
import { parseSetupId } from '../facts/setup-id.js'
import type { Mutable } from '../mutable.js'
import type { CountedRecord } from '../rollups/usage-rollup.js'
import { COUNTED_COLLECTIONS, addCountersInPlace, countersOf, countInRollup, emptyUsage } from '../rollups/usage-rollup.js'
import { combineSetup, isUntouchedSetup, withoutSource } from '../scoring/combine-setups.js'
import type { ScoringRules } from '../scoring/rules.js'
import type { CollectionName, CollectionRecords, RecordKey, SetupRecord, UsageCounters, UsageRecord } from '../store/records.js'
import { recordKey, recordSlot } from '../store/records.js'
import { dayOf } from '../time/iso-timestamp.js'
import type { ReattributeResult, Reattribution } from '../store/tracker-store.js'
import type { DeletedRecord, PlannedRecord } from './plan-overlay.js'

/** Collections whose records carry a setup and a project, and so move with a reattribution. */
export const REATTRIBUTED_COLLECTIONS = ['commits', 'retrospectives', 'gradeEvents', 'bugs', 'activities', 'usage'] as const

/** A collection that moves with a reattribution. */
export type ReattributedCollection = (typeof REATTRIBUTED_COLLECTIONS)[number]

/** What a store reads for {@link planReattribution}, inside its write transaction. */
export interface ReattributionInput {
  /** Every record of `from` in the project, by collection. */
  readonly records: { readonly [C in ReattributedCollection]: readonly CollectionRecords[C][] }
  /** The stored record under a key, if any. */
  get<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined
  /** True when `from` has records outside the project (it then stays, whatever its scores). */
  readonly fromHasOtherRecords: boolean
}

/** The writes of a reattribution: puts, deletes and the counts to report. */
export interface ReattributionPlan {
  readonly puts: readonly PlannedRecord[]
  readonly deletes: readonly DeletedRecord[]
  readonly result: ReattributeResult
}

/**
 * A reattribution as the fact log remembers it: the facts logged up to `throughSeq` under `from`
 * in `project` are read as `to`'s (the log itself is never rewritten).
 */
export interface LoggedReattribution {
  readonly from: string
  readonly to: string
  readonly project: string
  /** The last sequence number of the fact log when the records moved. */
  readonly throughSeq: number
}

/** A logged fact as attributed after every reattribution since (applied in the order they were made). */
export function attributedFact(fact: Fact, seq: number, moves: readonly LoggedReattribution[]): Fact {
  let setup = fact.setup
  for (const move of moves) if (seq <= move.throughSeq && setup === move.from && fact.project === move.project) setup = move.to
  return setup === fact.setup ? fact : { ...fact, setup }
}

/**
 * Plans {@link TrackerStore.reattribute}: re-keys `from`'s records of the project under `to` (a
 * record `to` already has is kept and the old copy dropped), moves `from`'s day rollups into
 * `to`'s (the counters facts added, and any import baseline, summed; commits, bugs and grades
 * counted from the records that moved, so the rollups stay exact), moves the source's part of the
 * scores, and removes `from` when nothing is left of it. Pure. The store also remembers the move
 * for its fact log (see {@link LoggedReattribution}).
 * @throws {TrackerError} INVALID_SETUP_ID for a malformed setup id.
 */
export function planReattribution(move: Reattribution, input: ReattributionInput, rules: ScoringRules): ReattributionPlan {
  parseSetupId(move.from)
  const target = parseSetupId(move.to)
  const puts: PlannedRecord[] = []
  const deletes: DeletedRecord[] = []
  let moved = 0
  let dropped = 0
  if (move.from === move.to) return { puts, deletes, result: { moved, dropped, removedSetup: false } }
  // The day rollups of `to` that take what moves: the stored ones, read once each.
  const rollups = new Map<string, Mutable<UsageRecord>>()
  const rollupOf = (day: string): Mutable<UsageRecord> => {
    const key = [move.to, move.project, day]
    const slot = recordSlot('usage', key)
    let rollup = rollups.get(slot)
    if (rollup === undefined) {
      const stored = input.get('usage', key)
      rollup = stored === undefined ? emptyUsage(move.to, move.project, day) : { ...stored }
      rollups.set(slot, rollup)
    }
    return rollup
  }
  for (const collection of REATTRIBUTED_COLLECTIONS) {
    for (const record of input.records[collection] as readonly CollectionRecords[typeof collection][]) {
      const oldKey = recordKey(collection, record as never)
      if (collection !== 'commits') deletes.push({ collection, key: oldKey })
      if (collection === 'usage') {
        // What facts added (and what an import gave as its baseline) moves to `to`'s rollup of the
        // day; commits, bugs and grades are counted again below from the records that move.
        const from = record as UsageRecord
        const rollup = rollupOf(from.day)
        addCountersInPlace(rollup, countersOf(from))
        if (from.baseline !== undefined) rollup.baseline = addedCounters(rollup.baseline, from.baseline)
        continue
      }
      const renamed = { ...record, setup: move.to } as CollectionRecords[typeof collection]
      const newKey = recordKey(collection, renamed as never)
      const existing = collection === 'commits' ? undefined : input.get(collection, newKey)
      if (existing !== undefined) {
        dropped += 1
        continue
      }
      puts.push({ collection, key: newKey, record: renamed } as PlannedRecord)
      moved += 1
      if (COUNTED_COLLECTIONS.has(collection)) countInRollup(rollupOf(dayOf((renamed as CountedRecord).at)), collection, renamed as CountedRecord)
    }
  }
  for (const rollup of rollups.values()) puts.push({ collection: 'usage', key: [rollup.setup, rollup.project, rollup.day], record: rollup })
  const from = input.get('setups', [move.from])
  const taken = from === undefined ? undefined : withoutSource(from, move.source, rules)
  let removedSetup = false
  if (from !== undefined && taken !== undefined) {
    const incoming: SetupRecord = { v: 1, id: move.to, ...target, state: taken.part, firstSeenAt: from.firstSeenAt, lastSeenAt: from.lastSeenAt }
    const combined = combineSetup(input.get('setups', [move.to]), incoming, move.source, rules)
    if (combined.change !== 'unchanged') puts.push({ collection: 'setups', key: [move.to], record: combined.record })
    removedSetup = !input.fromHasOtherRecords && isUntouchedSetup(taken.record, rules)
    if (removedSetup) deletes.push({ collection: 'setups', key: [move.from] })
    else puts.push({ collection: 'setups', key: [move.from], record: taken.record })
  }
  return { puts, deletes, result: { moved, dropped, removedSetup } }
}

function addedCounters(a: UsageCounters | undefined, b: UsageCounters): UsageCounters {
  const sum: Mutable<UsageCounters> = { ...countersOf(a ?? b) }
  if (a !== undefined) addCountersInPlace(sum, b)
  return sum
}
