import { describe, expect, it } from 'vitest'
import type { CollectionName, CollectionRecords } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { RollupRecount, checkRollups } from './check-rollups.js'
import { emptyUsage } from './usage-rollup.js'

const SETUP = 'build@fake/m1'
const PROJECT = '/work/shop'
const OTHER = 'plan@fake/m2'

/** The store with its rollups changed as `alter` says: what a lost or doubled write would leave. */
function withAlteredRollups(store: TrackerStore, alter: (rollup: CollectionRecords['usage']) => CollectionRecords['usage']): TrackerStore {
  return {
    ...store,
    scan: async function* <C extends CollectionName>(collection: C): AsyncIterable<CollectionRecords[C]> {
      for await (const record of store.scan(collection)) yield (collection === 'usage' ? alter(record as CollectionRecords['usage']) : record) as CollectionRecords[C]
    },
  }
}

/** The store with its setups changed as `alter` says. */
function withAlteredSetups(store: TrackerStore, alter: (setup: CollectionRecords['setups']) => CollectionRecords['setups']): TrackerStore {
  return {
    ...store,
    find: async (collection, query) => {
      const found = await store.find(collection, query)
      return (collection === 'setups' ? (found as CollectionRecords['setups'][]).map(alter) : found) as never
    },
  }
}

describe('checkRollups', () => {
  it('finds no drift in rollups the store kept, and names every number that drifted', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    await store.applyFacts([s.toolCall(), s.toolCall('bash', false), s.usage({ input: 10 }, 0.5), s.commit('c1'), s.grade('c1', { by: 'user', userGrade: 5 }), s.bug()])
    await store.importRecords({ commits: [{ v: 1, project: PROJECT, hash: 'c2', setup: SETUP, at: '2026-01-01T00:30:00.000Z', message: 'imported' }] })
    expect(await checkRollups(store)).toMatchObject({ rollups: 1, facts: 6, drift: [] })

    const drifted = withAlteredRollups(store, (rollup) => ({ ...rollup, toolCalls: rollup.toolCalls + 1, commits: 1, grades: { ...rollup.grades, user: { count: 1, sum: 2, squares: 4 } } }))
    expect((await checkRollups(drifted)).drift).toEqual([
      { key: [SETUP, PROJECT, '2026-01-01'], field: 'toolCalls', stored: 3, expected: 2 },
      { key: [SETUP, PROJECT, '2026-01-01'], field: 'commits', stored: 1, expected: 2 },
      { key: [SETUP, PROJECT, '2026-01-01'], field: 'grades.user.sum', stored: 2, expected: 5 },
      { key: [SETUP, PROJECT, '2026-01-01'], field: 'grades.user.squares', stored: 4, expected: 25 },
    ])
  })

  it("checks each setup's scores against what its records and facts add up to, and leaves out those with imported parts", async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    const other = createFactScript({ setup: OTHER, project: PROJECT })
    await store.applyFacts([s.toolCall(), s.toolCall('bash', false), s.usage({ input: 10 }, 0.5), s.commit('c1'), s.grade('c1', { by: 'user', userGrade: 5, agentGrade: 1 }), s.bug(), other.toolCall()])
    expect((await checkRollups(store)).scores).toEqual({ checked: 2, imported: 0, drift: [] })

    // A grade the scores missed and a tool call they counted twice, as a lost or doubled write would leave them.
    const altered = withAlteredSetups(store, (setup) => (setup.id !== SETUP ? setup : { ...setup, state: { ...setup.state, toolCalls: 3, userGrades: { count: 0, sum: 0 } } }))
    expect((await checkRollups(altered)).scores.drift).toEqual([
      { setup: SETUP, field: 'toolCalls', stored: 3, expected: 2 },
      { setup: SETUP, field: 'userGrades.count', stored: 0, expected: 1 },
      { setup: SETUP, field: 'userGrades.sum', stored: 0, expected: 5 },
    ])
    // A cost differing by more than its rounding is named too.
    const costly = withAlteredSetups(store, (setup) => (setup.id !== SETUP ? setup : { ...setup, state: { ...setup.state, cost: 0.51 } }))
    expect((await checkRollups(costly)).scores.drift).toEqual([{ setup: SETUP, field: 'cost', stored: 0.51, expected: 0.5 }])

    // Scores imported from another database count work whose records may not be here: not compared.
    const imported = withAlteredSetups(altered, (setup) => (setup.id !== SETUP ? setup : { ...setup, imports: { 'merge:/laptop.lmdb': setup.state } }))
    expect((await checkRollups(imported)).scores).toEqual({ checked: 1, imported: 1, drift: [] })
  })

  it('corrects what drifted: a recounted rollup keeps its baseline, a missing one is added, one nothing backs is removed', () => {
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-01-01T10:00:00.000Z' })
    const baseline = { ...emptyUsage(SETUP, PROJECT, '2026-01-01'), toolCalls: 5 }
    const recount = new RollupRecount()
    // Stored: the day holds 5 imported calls plus a doubled count of the logged one; a stray day of another project.
    recount.addStored({ ...emptyUsage(SETUP, PROJECT, '2026-01-01'), toolCalls: 7, baseline: { toolCalls: 5, toolFailures: 0, commands: 0, pushes: 0, messages: 0, tokens: baseline.tokens, cost: 0 } })
    recount.addStored({ ...emptyUsage(SETUP, '/work/gone', '2026-01-01'), commands: 2 })
    recount.addFact(s.toolCall())
    recount.addRecord('commits', { v: 1, project: PROJECT, hash: 'c1', setup: SETUP, at: '2026-01-02T09:00:00.000Z', message: 'later' })
    const { put, remove } = recount.corrections()
    expect(put).toEqual([
      { ...emptyUsage(SETUP, PROJECT, '2026-01-01'), toolCalls: 6, baseline: { toolCalls: 5, toolFailures: 0, commands: 0, pushes: 0, messages: 0, tokens: baseline.tokens, cost: 0 } },
      { ...emptyUsage(SETUP, PROJECT, '2026-01-02'), commits: 1 },
    ])
    expect(remove).toEqual([{ ...emptyUsage(SETUP, '/work/gone', '2026-01-01'), commands: 2 }])
    expect(recount.drift().map((d) => `${d.key.join(' ')} ${d.field}`)).toEqual([`${SETUP} ${PROJECT} 2026-01-01 toolCalls`, `${SETUP} ${PROJECT} 2026-01-02 commits`, `${SETUP} /work/gone 2026-01-01 commands`])
  })
  it('makes no rollup for a day on which only facts that count nothing fall, and names a stored one of zeros', () => {
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-01-01T10:00:00.000Z', stepMs: 24 * 3600_000 })
    const recount = new RollupRecount()
    recount.addStored({ ...emptyUsage(SETUP, PROJECT, '2026-01-01'), toolCalls: 1 })
    recount.addFact(s.toolCall())
    for (const fact of [s.grade('c1', { by: 'user', userGrade: 5 }), s.activity('tidy up'), s.retrospective('c1', { userNote: 'fine' }), s.reinstate()]) recount.addFact(fact)
    expect(recount.drift()).toEqual([])
    expect(recount.corrections()).toEqual({ put: [], remove: [] })

    recount.addStored(emptyUsage(SETUP, PROJECT, '2026-01-09'))
    expect(recount.drift()).toEqual([{ key: [SETUP, PROJECT, '2026-01-09'], field: 'rollup', stored: 1, expected: 0 }])
    expect(recount.corrections()).toEqual({ put: [], remove: [emptyUsage(SETUP, PROJECT, '2026-01-09')] })
  })
})
