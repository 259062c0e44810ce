import { describe, expect, it } from 'vitest'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { expandCommitPrefixes, factsOnAnotherSetupsCommit, gradesWithoutCommit } from './grade-commits.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const PROJECT = '/home/dev/shop'
const FIRST = '1111111111111111111111111111111111111111'
const AMENDED = '2222222222222222222222222222222222222222'
const NEVER = '3333333333333333333333333333333333333333'

describe('a grade needs its commit', () => {
  it('holds back a grade whose commit only a repeated commit fact names, and lets one through that an amend here takes', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:00.000Z' })
    const made = s.commit(FIRST, 'feat: cart')
    await store.applyFacts([made, s.amend(AMENDED, FIRST, 'feat: cart 2')])
    const gradeOfFirst = s.grade(FIRST, { by: 'user', userGrade: 5 })
    // The replaced commit has its replacement here: the grade is let through, to follow it.
    expect(await gradesWithoutCommit(store, [made, gradeOfFirst])).toEqual([])
    expect(await gradesWithoutCommit(store, [gradeOfFirst])).toEqual([])
    // A commit fact this store has taken makes nothing: the commit it names is not recorded, and
    // no commit of the grade's setup replaced it.
    const other = createFactScript({ setup: 'plan@openai/gpt-5', project: PROJECT, start: '2026-06-01T10:05:00.000Z' })
    expect(await gradesWithoutCommit(store, [made, other.grade(FIRST, { by: 'user', userGrade: 5 })])).toEqual([1])
    // A new commit fact makes its commit for the grades after it, not before it.
    const fresh = s.commit(NEVER, 'new here')
    expect(await gradesWithoutCommit(store, [s.grade(NEVER, { by: 'user', userGrade: 5 }), fresh, s.grade(NEVER, { by: 'agent', agentGrade: 2 })])).toEqual([0])
  })

  it('does not take a grade of a commit replaced long before it to the replacement: it is held back', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:00.000Z' })
    await store.applyFacts([s.commit(FIRST, 'feat: cart'), s.amend(AMENDED, FIRST, 'feat: cart 2')])
    const late = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-09T10:00:00.000Z' })
    expect(await gradesWithoutCommit(store, [late.grade(FIRST, { by: 'user', userGrade: 5 })])).toEqual([0])
  })
})

describe('expandCommitPrefixes', () => {
  it('writes out a prefix that begins one commit of the project, stored or made in the batch, and names the ambiguous ones', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:00.000Z' })
    await store.applyFacts([s.commit(FIRST, 'one'), s.commit(AMENDED, 'two')])
    const elsewhere = createFactScript({ setup: SETUP, project: '/home/dev/api', start: '2026-06-01T11:00:00.000Z' })
    const fresh = s.commit(NEVER, 'three')
    const batch = [s.grade('1111111', { by: 'user', userGrade: 5 }), fresh, s.grade('3333', { by: 'user', userGrade: 2 }), elsewhere.grade('2222222', { by: 'user', userGrade: 1 }), s.grade(AMENDED, { by: 'user', userGrade: 1 })]
    const { facts, ambiguous } = await expandCommitPrefixes(store, batch)
    expect(facts.map((fact) => (fact.kind === 'commit' ? fact.hash : 'commit' in fact ? fact.commit : undefined))).toEqual([FIRST, NEVER, NEVER, '2222222', AMENDED])
    expect(ambiguous.size).toBe(0)
    // A stored commit whose hash is itself short is no prefix of anything.
    await store.applyFacts([s.commit('abcd', 'short'), s.commit('abcdef0', 'longer')])
    expect((await expandCommitPrefixes(store, [s.grade('abcd', { by: 'user', userGrade: 2 })])).facts.map((fact) => ('commit' in fact ? fact.commit : undefined))).toEqual(['abcd'])
    const two = await expandCommitPrefixes(store, [s.grade('abc', { by: 'user', userGrade: 2 })])
    expect([...two.ambiguous]).toEqual([[0, `commit abc begins 2 commits in ${PROJECT} (abcd, abcdef0); give more of its hash`]])
  })

  it('takes a full hash to the commit stored under its abbreviated hash, the longest such', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:00.000Z' })
    const full = '4444444abcd'.padEnd(40, '5')
    await store.applyFacts([s.commit('4444444', 'seen short'), s.commit('4444444abc', 'seen longer')])
    const refs = async (commit: string): Promise<unknown[]> => (await expandCommitPrefixes(store, [s.grade(commit, { by: 'user', userGrade: 2 })])).facts.map((fact) => ('commit' in fact ? fact.commit : undefined))
    expect(await refs(full)).toEqual(['4444444abc'])
    // Not a commit of another project, nor a hash that only shares the first digits.
    const elsewhere = createFactScript({ setup: SETUP, project: '/home/dev/api', start: '2026-06-01T11:00:00.000Z' })
    expect((await expandCommitPrefixes(store, [elsewhere.grade(full, { by: 'user', userGrade: 2 })])).facts.map((fact) => ('commit' in fact ? fact.commit : undefined))).toEqual([full])
    expect(await refs('4444445'.padEnd(40, '5'))).toEqual(['4444445'.padEnd(40, '5')])
  })

  it('writes out the first digits of a hash an amend replaced as the amend, and names two such as ambiguous', async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:00.000Z' })
    await store.applyFacts([s.commit(FIRST, 'one'), s.amend(AMENDED, FIRST, 'one, fixed')])
    expect((await expandCommitPrefixes(store, [s.grade('1111111', { by: 'user', userGrade: 2 })])).facts.map((fact) => ('commit' in fact ? fact.commit : undefined))).toEqual([AMENDED])
    await store.applyFacts([s.commit('1111111'.padEnd(40, 'b'), 'two'), s.amend(NEVER, '1111111'.padEnd(40, 'b'), 'two, fixed')])
    const two = await expandCommitPrefixes(store, [s.grade('1111111', { by: 'user', userGrade: 2 })])
    expect([...two.ambiguous.values()]).toEqual([`commit 1111111 begins 2 commits in ${PROJECT} (${AMENDED.slice(0, 12)}, ${NEVER.slice(0, 12)}); give more of its hash`])
  })
})

describe('factsOnAnotherSetupsCommit', () => {
  it("names the grades, bugs and retrospectives of a commit another setup made, stored or made earlier in the batch", async () => {
    const store = createMemoryStore()
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:00.000Z' })
    const other = createFactScript({ setup: 'plan@openai/gpt-5', project: PROJECT, start: '2026-06-01T10:05:00.000Z' })
    await store.applyFacts([s.commit(FIRST, 'one')])
    const batch = [
      other.grade(FIRST, { by: 'user', userGrade: 5 }),
      s.grade(FIRST, { by: 'user', userGrade: 2 }),
      other.commit(NEVER, 'theirs'),
      s.bug('user', 'broke it', NEVER),
      other.bug('user', 'broke it', NEVER),
      s.bug('user', 'no commit named'),
      s.grade(AMENDED, { by: 'user', userGrade: 1 }),
    ]
    const refused = await factsOnAnotherSetupsCommit(store, batch)
    expect([...refused]).toEqual([
      [0, `commit ${FIRST} of ${PROJECT} was made by ${SETUP}, not plan@openai/gpt-5; a grade goes to the setup that made the commit`],
      [3, `commit ${NEVER} of ${PROJECT} was made by plan@openai/gpt-5, not ${SETUP}; a bug goes to the setup that made the commit`],
    ])
  })
})
