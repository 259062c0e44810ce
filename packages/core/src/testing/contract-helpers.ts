import { expect } from 'vitest'
import { isTrackerError } from '../errors.js'
import { checkRollups } from '../rollups/check-rollups.js'
import type { ScoringRulesInput } from '../scoring/rules.js'
import type { TrackerStore } from '../store/tracker-store.js'

/** What a check tells {@link withStore} about itself. */
export interface ContractOptions {
  /**
   * Why the check puts records in without the scores they count for (store-level imports of bare
   * records, a reattribution of live facts), so that no setup's scores can add up its records: the
   * check of scores against records is then left out.
   */
  readonly scoresApart?: string
}

/** Makes a fresh, empty store for one check; the check closes it. */
export type StoreFactory = (options: { readonly rules?: ScoringRulesInput }) => Promise<TrackerStore>

/** One behaviour every store must have. `run` throws (an assertion error) when the store lacks it. */
export interface StoreContractCheck {
  readonly name: string
  run(factory: StoreFactory): Promise<void>
}

/**
 * Runs a check's body on a fresh store, then checks its setup totals (where it keeps them) and
 * every setup's scored state against what its records and facts add up to, and closes it.
 */
export async function withStore(factory: StoreFactory, body: (store: TrackerStore) => Promise<void>, rules?: ScoringRulesInput, options: ContractOptions = {}): Promise<void> {
  const store = await factory(rules === undefined ? {} : { rules })
  try {
    await body(store)
    await expectTotalsInStep(store, options.scoresApart === undefined)
  } finally {
    await store.close()
  }
}

/**
 * After every scenario: each setup's scores count what its records and facts count, and a store
 * that keeps setup totals, project days or outcome days has them add up its rollups.
 */
async function expectTotalsInStep(store: TrackerStore, scoresFollowRecords: boolean): Promise<void> {
  const check = await checkRollups(store).catch((error: unknown) => {
    // A scenario may end with the store closed.
    if (isTrackerError(error, 'STORE_CLOSED')) return undefined
    throw error
  })
  if (check === undefined) return
  if (scoresFollowRecords) expect(check.scores.drift).toEqual([])
  if (check.setupTotals !== undefined) expect(check.drift.filter((drift) => drift.key.length === 1)).toEqual([])
  if (check.projectDays !== undefined) expect(check.drift.filter((drift) => drift.key.length === 2)).toEqual([])
  if (check.outcomeDays !== undefined) expect(check.drift.filter((drift) => drift.field.startsWith('outcome'))).toEqual([])
}

/** Every item of an async iterable, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const found: T[] = []
  for await (const item of items) found.push(item)
  return found
}
