import type { AppliedBatch, Fact, TrackerStore } from '@agent-tracker/core'
import { supportsSyncApply } from '@agent-tracker/core/store'

/** A store wrapper that records every batch handed to it, sync or async, and can fail the next N. */
export type InstrumentedStore<S extends TrackerStore> = S & {
  readonly batches: Fact[][]
  failNext(times: number, message?: string): void
}

/** Wraps a store for tests of what reaches it. */
export function instrument<S extends TrackerStore>(inner: S): InstrumentedStore<S> {
  const batches: Fact[][] = []
  let failures = 0
  let failure = 'disk on fire'
  const admit = (facts: readonly Fact[]): void => {
    if (failures > 0) {
      failures -= 1
      throw new Error(failure)
    }
    batches.push([...facts])
  }
  const wrapper: Record<string, unknown> = {
    rules: inner.rules,
    applyFacts: async (facts: readonly Fact[]) => {
      await Promise.resolve()
      admit(facts)
      return inner.applyFacts(facts)
    },
    get: inner.get.bind(inner),
    find: inner.find.bind(inner),
    findCommitRefs: inner.findCommitRefs.bind(inner),
    scan: inner.scan.bind(inner),
    knownFactIds: inner.knownFactIds.bind(inner),
    readFactLog: inner.readFactLog.bind(inner),
    lastFactSeq: inner.lastFactSeq.bind(inner),
    importRecords: inner.importRecords.bind(inner),
    importSetups: inner.importSetups.bind(inner),
    reattribute: inner.reattribute.bind(inner),
    saveProjectProfile: inner.saveProjectProfile.bind(inner),
    schemaVersion: inner.schemaVersion.bind(inner),
    recordMigration: inner.recordMigration.bind(inner),
    listMigrations: inner.listMigrations.bind(inner),
    close: inner.close.bind(inner),
    batches,
    failNext: (times: number, message = 'disk on fire') => {
      failures = times
      failure = message
    },
  }
  if (supportsSyncApply(inner)) {
    wrapper.applyFactsSync = (facts: readonly Fact[]): AppliedBatch => {
      admit(facts)
      return inner.applyFactsSync(facts)
    }
  }
  return wrapper as unknown as InstrumentedStore<S>
}

/** The same store without synchronous writes, to exercise the asynchronous flush path. */
export function asyncOnly(inner: TrackerStore): TrackerStore {
  const { applyFactsSync: _sync, ...rest } = inner as TrackerStore & { applyFactsSync?: unknown }
  return rest
}
