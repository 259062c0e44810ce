import { parseSetupId } from '../facts/setup-id.js'
import { addTokens } from '../scoring/apply-fact.js'
import { combineSetup, isUntouchedSetup, withoutSource } from '../scoring/combine-setups.js'
import type { ScoringRules } from '../scoring/rules.js'
import type { CollectionName, CollectionRecords, RecordKey, SetupRecord, UsageRecord } from '../store/records.js'
import { recordKey } from '../store/records.js'
import type { ReattributeResult, Reattribution } from '../store/tracker-store.js'
import type { PlannedRecord } from './plan-overlay.js'

/** Collections whose records carry a setup and a project, and so move with a reattribution. */
export const REATTRIBUTED_COLLECTIONS = ['commits', 'retrospectives', 'gradeEvents', 'bugs', 'activities', 'usage'] as const

/** A collection that moves with a reattribution. */
export type ReattributedCollection = (typeof REATTRIBUTED_COLLECTIONS)[number]

/** A record a store must delete, by collection and key. */
export interface DeletedRecord {
  readonly collection: CollectionName
  readonly key: RecordKey
}

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
 * Plans {@link TrackerStore.reattribute}: re-keys `from`'s records of the project under `to` (a
 * record `to` already has is kept and the old copy dropped; usage of one day is summed), moves the
 * source's part of the scores, and removes `from` when nothing is left of it. Pure.
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
  for (const collection of REATTRIBUTED_COLLECTIONS) {
    for (const record of input.records[collection] as readonly CollectionRecords[typeof collection][]) {
      const oldKey = recordKey(collection, record as never)
      const renamed = { ...record, setup: move.to } as CollectionRecords[typeof collection]
      const newKey = recordKey(collection, renamed as never)
      if (collection !== 'commits') deletes.push({ collection, key: oldKey })
      const existing = collection === 'commits' ? undefined : input.get(collection, newKey)
      if (existing === undefined) {
        puts.push({ collection, key: newKey, record: renamed } as PlannedRecord)
        moved += 1
      } else if (collection === 'usage') {
        puts.push({ collection, key: newKey, record: sumUsage(existing as UsageRecord, renamed as UsageRecord) })
        moved += 1
      } else {
        dropped += 1
      }
    }
  }
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

function sumUsage(a: UsageRecord, b: UsageRecord): UsageRecord {
  return {
    ...a,
    toolCalls: a.toolCalls + b.toolCalls,
    toolFailures: a.toolFailures + b.toolFailures,
    commands: a.commands + b.commands,
    commits: a.commits + b.commits,
    pushes: a.pushes + b.pushes,
    messages: a.messages + b.messages,
    tokens: addTokens(a.tokens, b.tokens),
    cost: a.cost + b.cost,
  }
}
