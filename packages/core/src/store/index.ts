// Helpers for store implementers: plan a batch of facts inside a write transaction, answer
// queries the way every store must, and place records by key. The port itself (`TrackerStore`)
// and the record types come from `@agent-tracker/core`.

export type { FactPlan } from '../planning/plan-facts.js'
export type { DeletedRecord, PlannedRecord, RecordReader, TimelineCollection } from '../planning/plan-overlay.js'
export { planFacts } from '../planning/plan-facts.js'
export type { ImportPlan } from '../planning/plan-import.js'
export { planImport, rollUpRecords } from '../planning/plan-import.js'
export { projectName, withProfile } from '../planning/plan-projects.js'
export type { LoggedReattribution, ReattributedCollection, ReattributionInput, ReattributionPlan } from '../planning/plan-reattribution.js'
export { REATTRIBUTED_COLLECTIONS, attributedFact, planReattribution } from '../planning/plan-reattribution.js'
export type { SetupCombination, SetupImportPlan } from '../scoring/combine-setups.js'
export { combineSetup, planSetupImport } from '../scoring/combine-setups.js'
export { matchesQuery, normaliseQuery, orderAndLimit } from './record-query.js'
export { RECORD_VERSIONS, compareKeys, recordKey, recordSlot, recordTime } from './records.js'
export { selectCommitRefs, toCommitRef } from './commit-ref.js'
export { supportsSyncApply } from './tracker-store.js'
export { checkFactLogQuery } from './fact-log-query.js'
export type { CountedRecord } from '../rollups/usage-rollup.js'
export { COUNTED_COLLECTIONS, COUNTED_RECORDS, countInRollup, countersOf, emptyUsage } from '../rollups/usage-rollup.js'
export type { RollupCorrections } from '../rollups/check-rollups.js'
export { RollupRecount } from '../rollups/check-rollups.js'
export { dayOf } from '../time/iso-timestamp.js'
