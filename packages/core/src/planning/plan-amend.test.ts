import { describe, expect, it } from 'vitest'
import type { Fact } from '../facts/facts.js'
import { resolveRules } from '../scoring/rules.js'
import type { CollectionName, CollectionRecords, RecordKey } from '../store/records.js'
import { recordSlot } from '../store/records.js'
import { createFactScript } from '../testing/fact-script.js'
import type { FactPlan } from './plan-facts.js'
import { planFacts } from './plan-facts.js'
import type { RecordReader } from './plan-overlay.js'
import { sameCommitSpan } from './plan-amend.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const PROJECT = '/home/dev/shop'
const FIRST = '3f2a9c41d0b7e65a8c1f2e3d4b5a69788796a5b4'
const AMENDED = '9b74b9482ad5faff9546262bb5063474358ed29a'
const rules = resolveRules()

/** A reader over what earlier plans wrote, as a store would hold it after applying them. */
function storeOf(...plans: FactPlan[]): RecordReader {
  const records = new Map<string, unknown>()
  for (const plan of plans) {
    for (const { collection, key } of plan.deletes) records.delete(recordSlot(collection, key))
    for (const write of plan.writes) records.set(recordSlot(write.collection, write.key), write.record)
  }
  const claimed = new Set(plans.flatMap((plan) => plan.logged.map((fact) => fact.id)))
  return {
    get: <C extends CollectionName>(collection: C, key: RecordKey) => records.get(recordSlot(collection, key)) as CollectionRecords[C] | undefined,
    claimFact: (id) => !claimed.has(id) && Boolean(claimed.add(id)),
    recordsSince: <C extends 'gradeEvents' | 'bugs' | 'commits'>(collection: C, setup: string, since: string, until?: string) =>
      [...records.entries()].filter(([slot]) => slot.startsWith(`${collection}\u0000`)).map(([, record]) => record as CollectionRecords[C])
        .filter((record) => record.setup === setup && record.at >= since && (until === undefined || record.at < until)),
  }
}

const keysOf = (plan: FactPlan, collection: CollectionName): RecordKey[] => plan.writes.filter((write) => write.collection === collection).map((write) => write.key)

describe('planning an amend', () => {
  it('deletes the replaced commit and its review, keeps the commit on its first day, and never writes what it deletes', () => {
    const day1 = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T23:30:00.000Z' })
    const day2 = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-02T08:00:00.000Z' })
    const first = planFacts(storeOf(), [day1.commit(FIRST), day1.grade(FIRST, { by: 'agent', agentGrade: 2 })], rules)
    const amend = planFacts(storeOf(first), [day2.amend(AMENDED, FIRST, 'linted')], rules)
    expect(amend.deletes).toEqual([
      { collection: 'commits', key: [PROJECT, FIRST] },
      { collection: 'retrospectives', key: [SETUP, FIRST] },
    ])
    // The commit keeps its first time, as git keeps its author date: no day rollup changes.
    expect(amend.writes.filter((write) => write.collection === 'usage')).toEqual([])
    expect(amend.writes.find((write) => write.collection === 'commits')?.record).toMatchObject({ hash: AMENDED, at: '2026-06-01T23:30:00.000Z' })
    expect(keysOf(amend, 'commits')).toEqual([[PROJECT, AMENDED]])
    expect(keysOf(amend, 'retrospectives')).toEqual([[SETUP, AMENDED]])
    expect(amend.writes.find((write) => write.collection === 'gradeEvents')?.record).toMatchObject({ commit: AMENDED, at: '2026-06-01T23:31:00.000Z' })
    expect(amend.writes.find((write) => write.collection === 'setups')?.record).toMatchObject({ state: { commits: 1, experience: 1 }, lastSeenAt: '2026-06-02T08:00:00.000Z' })
    // Nothing is ever both written and deleted.
    const written = new Set(amend.writes.map((write) => recordSlot(write.collection, write.key)))
    expect(amend.deletes.filter(({ collection, key }) => written.has(recordSlot(collection, key)))).toEqual([])
  })

  it('in the batch that made the commit, plans only the commit that survives', () => {
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    const facts: Fact[] = [s.toolCall(), s.commit(FIRST, 'feat'), s.toolCall(), s.amend(AMENDED, FIRST, 'feat, linted')]
    const plan = planFacts(storeOf(), facts, rules)
    expect(keysOf(plan, 'commits')).toEqual([[PROJECT, AMENDED]])
    expect(plan.writes.find((write) => write.collection === 'usage')?.record).toMatchObject({ commits: 1, toolCalls: 2 })
    expect(plan).toMatchObject({ applied: 4, skipped: [], deletes: [{ collection: 'commits', key: [PROJECT, FIRST] }] })
  })
})

describe('the span an amend is looked for in', () => {
  it('is whole UTC days from the day before to the day after, for each time asked in turn', () => {
    expect(sameCommitSpan('2026-03-10T15:00:00.000Z')).toEqual({ since: '2026-03-09T00:00:00.000Z', until: '2026-03-12T00:00:00.000Z' })
    expect(sameCommitSpan('2026-03-10T23:59:59.999Z')).toEqual({ since: '2026-03-09T00:00:00.000Z', until: '2026-03-12T00:00:00.000Z' })
    expect(sameCommitSpan('2026-03-11T00:00:00.000Z')).toEqual({ since: '2026-03-10T00:00:00.000Z', until: '2026-03-13T00:00:00.000Z' })
    expect(sameCommitSpan('2026-03-10T00:00:00.000Z')).toEqual({ since: '2026-03-09T00:00:00.000Z', until: '2026-03-12T00:00:00.000Z' })
    expect(sameCommitSpan('not a time')).toBeUndefined()
  })
})
