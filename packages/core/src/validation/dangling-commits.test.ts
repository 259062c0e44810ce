import { describe, expect, it } from 'vitest'
import { checkRecords, checkRollups } from '../rollups/check-rollups.js'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import type { BugRecord } from '../store/records.js'
import { DANGLING_LISTED, DanglingCommitCheck } from './dangling-commits.js'

const SETUP = 'build@fake/m1'
const SHOP = '/work/shop'
const API = '/work/api'
const FULL = (digit: string): string => digit.repeat(40)

describe('checkRecords', () => {
  it('finds nothing in a store whose every grade, review and bug names a recorded commit, and leaves a bug without a commit alone', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: SHOP })
    await store.applyFacts([s.commit(FULL('a')), s.grade(FULL('a'), { by: 'user', userGrade: 5 }), s.retrospective(FULL('a'), { agentNote: 'tidy' }), s.bug('user', 'slow', FULL('a')), s.bug('user', 'no commit named')])
    const { rollups, dangling } = await checkRecords(store)
    expect(dangling).toEqual({ checked: 3, records: { retrospectives: 0, gradeEvents: 0, bugs: 0 }, references: [], unlisted: 0 })
    expect(rollups).toEqual(await checkRollups(store))
  })

  it('names each record whose commit no commit record of its project holds, by kind, setup and hash, with the commit it likely means', async () => {
    const store = createMemoryStore()
    const shop = createFactScript({ setup: SETUP, project: SHOP })
    const api = createFactScript({ setup: SETUP, project: API })
    // A grade timestamped before its commit (another machine's clock) is not among what an amend moves.
    const early = shop.grade(FULL('b'), { by: 'agent', agentGrade: 2 })
    await store.applyFacts([
      shop.commit(FULL('b')), early, shop.amend(FULL('c'), FULL('b')),
      // Graded twice and reported once, never recorded: what an older merge brought.
      shop.grade(FULL('d'), { by: 'user', userGrade: 1 }), shop.grade(FULL('d'), { by: 'agent', agentGrade: 2 }), shop.bug('user', 'phantom', FULL('d')),
      shop.commit(FULL('e')), shop.bug('user', 'by its short hash', 'eeeeeee'),
      shop.commit('7777777'), shop.bug('user', 'by its full hash', FULL('7')),
      // Recorded in the shop, named in the api: commits are per project.
      api.bug('user', 'wrong project', FULL('e')),
    ])
    const { rollups, dangling } = await checkRecords(store)
    expect(rollups.drift).toEqual([])
    expect(dangling.records).toEqual({ retrospectives: 1, gradeEvents: 3, bugs: 4 })
    expect([dangling.checked, dangling.unlisted]).toEqual([9, 0])
    expect(dangling.references).toEqual([
      { kind: 'bugs', project: API, setup: SETUP, commit: FULL('e'), records: 1 },
      { kind: 'bugs', project: SHOP, setup: SETUP, commit: FULL('7'), records: 1, likely: { hash: '7777777', because: 'recorded-abbreviated' } },
      { kind: 'gradeEvents', project: SHOP, setup: SETUP, commit: FULL('b'), records: 1, likely: { hash: FULL('c'), because: 'amended' } },
      { kind: 'retrospectives', project: SHOP, setup: SETUP, commit: FULL('d'), records: 1 },
      { kind: 'gradeEvents', project: SHOP, setup: SETUP, commit: FULL('d'), records: 2 },
      { kind: 'bugs', project: SHOP, setup: SETUP, commit: FULL('d'), records: 1 },
      { kind: 'bugs', project: SHOP, setup: SETUP, commit: 'eeeeeee', records: 1, likely: { hash: FULL('e'), because: 'abbreviated' } },
    ])
  })

  it('lists at most so many references, counting the records of the rest, and reads a commit once for the records that name it', async () => {
    const store = createMemoryStore()
    let lookups = 0
    const check = new DanglingCommitCheck({ ...store, get: (collection, key) => ((lookups += 1), store.get(collection, key)) })
    const bug = (commit: string): BugRecord => ({ v: 1, id: commit, setup: SETUP, project: SHOP, at: '2026-01-01T00:00:00.000Z', by: 'user', commit, skillPointsAfter: 1 })
    await check.reference('bugs', bug('fade'))
    await check.reference('bugs', bug('fade'))
    expect(lookups).toBe(1)
    for (let n = 0; n < DANGLING_LISTED + 1; n++) await check.reference('bugs', bug(`c${n.toString(16).padStart(5, '0')}`))
    const { records, references, unlisted } = await check.result()
    expect(records.bugs).toBe(DANGLING_LISTED + 3)
    expect(references).toHaveLength(DANGLING_LISTED)
    expect(references.find((reference) => reference.commit === 'fade')?.records).toBe(2)
    expect(unlisted).toBe(2)
  })
})
