import { describe, expect, it } from 'vitest'
import type { CollectionName, CollectionRecords } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { checkRollups } from './check-rollups.js'

const SETUP = 'build@fake/m1'
const PROJECT = '/work/shop'

/** The store with its rollups changed as `alter` says: what a lost or doubled write would leave. */
function withAlteredRollups(store: TrackerStore, alter: (rollup: CollectionRecords['usage']) => CollectionRecords['usage']): TrackerStore {
  return {
    ...store,
    scan: async function* <C extends CollectionName>(collection: C): AsyncIterable<CollectionRecords[C]> {
      for await (const record of store.scan(collection)) yield (collection === 'usage' ? alter(record as CollectionRecords['usage']) : record) as CollectionRecords[C]
    },
  }
}

describe('checkRollups', () => {
  it('finds no drift in rollups the store kept, and names every number that drifted', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    await store.applyFacts([s.toolCall(), s.toolCall('bash', false), s.usage({ input: 10 }, 0.5), s.commit('c1'), s.grade('c1', { by: 'user', userGrade: 5 }), s.bug()])
    await store.importRecords({ commits: [{ v: 1, project: PROJECT, hash: 'c2', setup: SETUP, at: '2026-01-01T00:30:00.000Z', message: 'imported' }] })
    expect(await checkRollups(store)).toEqual({ rollups: 1, facts: 6, drift: [] })

    const drifted = withAlteredRollups(store, (rollup) => ({ ...rollup, toolCalls: rollup.toolCalls + 1, commits: 1, grades: { ...rollup.grades, user: { count: 1, sum: 2, squares: 4 } } }))
    expect((await checkRollups(drifted)).drift).toEqual([
      { key: [SETUP, PROJECT, '2026-01-01'], field: 'toolCalls', stored: 3, expected: 2 },
      { key: [SETUP, PROJECT, '2026-01-01'], field: 'commits', stored: 1, expected: 2 },
      { key: [SETUP, PROJECT, '2026-01-01'], field: 'grades.user.sum', stored: 2, expected: 5 },
      { key: [SETUP, PROJECT, '2026-01-01'], field: 'grades.user.squares', stored: 4, expected: 25 },
    ])
  })
})
