import { describe, expect, it } from 'vitest'
import type { Fact } from '../facts/facts.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { createMemoryStore } from './memory-store.js'
import { describeStoreContract, failingContractChecks } from './store-contract.js'

describeStoreContract('memory', ({ rules }) => Promise.resolve(createMemoryStore(rules === undefined ? {} : { rules })))

/** A store that silently drops the last fact of every batch: the contract must notice. */
function dropLastFact(inner: TrackerStore): TrackerStore {
  return {
    ...inner,
    get: (collection, key) => inner.get(collection, key),
    find: (collection, query) => inner.find(collection, query),
    scan: (collection) => inner.scan(collection),
    applyFacts: (facts: readonly Fact[]) => inner.applyFacts(facts.slice(0, -1)),
  }
}

describe('the store contract', () => {
  it('passes nothing to a store that drops the last fact of a batch', async () => {
    const failing = await failingContractChecks(({ rules }) =>
      Promise.resolve(dropLastFact(createMemoryStore(rules === undefined ? {} : { rules }))),
    )
    expect(failing).toEqual(
      expect.arrayContaining([
        'applies facts with the scoring reducer and reads them back at once',
        'skips a commit recorded twice and counts it once',
        'collapses many facts on one record into one put',
        'loses no increment when batches are applied concurrently',
        'applies a batch atomically: one invalid fact rejects all of it',
      ]),
    )
  })

  it('finds no fault in a correct store', async () => {
    expect(await failingContractChecks(({ rules }) => Promise.resolve(createMemoryStore(rules === undefined ? {} : { rules })))).toEqual([])
  })
})
