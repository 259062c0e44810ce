import { expect } from 'vitest'
import type { Fact } from '../facts/facts.js'
import { checkRollups } from '../rollups/check-rollups.js'
import { initialState } from '../scoring/agent-state.js'
import { applyFacts } from '../scoring/apply-fact.js'
import { COLLECTIONS } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { REPEAT } from '../store/tracker-store.js'
import type { StoreContractCheck } from './contract-helpers.js'
import { collect, withStore } from './contract-helpers.js'
import { createFactScript } from './fact-script.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const OTHER = 'plan@openai/gpt-5'
const PROJECT = '/home/dev/shop'

// Full hashes, as git gives them: an amend names the commit it replaced by its full hash.
const FIRST = '3f2a9c41d0b7e65a8c1f2e3d4b5a69788796a5b4'
const AMENDED = '9b74b9482ad5faff9546262bb5063474358ed29a'
const AGAIN = 'dc9703329112e21d5d8c152ea25f5c9d4d683954'
const UNKNOWN = '233aca77eaa33bcec5e1eab6999b2663cdf49345'

async function applied(store: TrackerStore, facts: readonly Fact[]): Promise<void> {
  await store.applyFacts(facts)
}

/** Every record of every collection, by collection. */
async function everything(store: TrackerStore): Promise<Record<string, unknown[]>> {
  const all: Record<string, unknown[]> = {}
  for (const collection of COLLECTIONS) all[collection] = await collect(store.scan(collection))
  return all
}

/** What every store does with a commit made by `git commit --amend` (a commit fact with `amends`). */
export const AMEND_CONTRACT_CHECKS: readonly StoreContractCheck[] = [
  {
    name: 'an amend takes the place of the commit it replaced: one commit, counted once, with its review, grades and bugs',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT, session: 'ses_1', start: '2026-06-01T10:00:00.000Z' })
        const before = [s.toolCall(), s.commit(FIRST, 'feat: cart'), s.grade(FIRST, { by: 'agent', agentGrade: 2, agentNote: 'tidy' }), s.bug('agent', 'lint fails', FIRST), s.toolCall()]
        const amend = s.amend(AMENDED, FIRST, 'feat: cart, linted')
        await applied(store, before)
        const result = await store.applyFacts([amend])
        if (!result.deferred) expect(result).toMatchObject({ applied: 1, skipped: [] })
        const setup = await store.get('setups', [SETUP])
        // Scored as the facts without the amend: the commit counted when it was first made.
        expect(setup?.state).toEqual(applyFacts(initialState(store.rules), before, store.rules))
        expect(setup?.state).toMatchObject({ commits: 1 })
        expect(setup?.lastSeenAt).toBe(amend.at)
        // It keeps the first commit's time, as git keeps its author date: the same piece of work.
        const madeAt = before[1]?.at
        expect(await store.find('commits')).toEqual([{ v: 1, project: PROJECT, hash: AMENDED, setup: SETUP, at: madeAt, message: 'feat: cart, linted', session: 'ses_1', amends: FIRST }])
        expect(await store.get('commits', [PROJECT, FIRST])).toBeUndefined()
        expect(await store.findCommitRefs({ setup: SETUP })).toEqual([{ setup: SETUP, project: PROJECT, hash: AMENDED, at: madeAt }])
        expect(await store.find('commits', { hashPrefix: FIRST.slice(0, 7) })).toEqual([])
        expect(await store.findCommitRefs({ hashPrefix: FIRST.slice(0, 7) })).toEqual([])
        expect((await store.findCommitRefs({ project: PROJECT })).map((ref) => ref.hash)).toEqual([AMENDED])
        expect((await store.findCommitRefs({ since: before[0]?.at ?? '' })).map((ref) => ref.hash)).toEqual([AMENDED])
        expect(await store.get('retrospectives', [SETUP, FIRST])).toBeUndefined()
        expect(await store.find('retrospectives')).toEqual([expect.objectContaining({ commit: AMENDED, agentGrade: 2, agentNote: 'tidy', task: 'feat: cart, linted' })])
        expect((await store.find('gradeEvents')).map((event) => event.commit)).toEqual([AMENDED])
        expect((await store.find('bugs')).map((bug) => [bug.commit, bug.note])).toEqual([[AMENDED, 'lint fails']])
        expect((await store.find('usage')).map((day) => [day.day, day.commits, day.toolCalls, day.bugs, day.grades.agent.count])).toEqual([['2026-06-01', 1, 2, 1, 1]])
        expect((await checkRollups(store)).drift).toEqual([])
        expect((await collect(store.readFactLog())).map((entry) => entry.fact)).toEqual([...before, amend])

        // Sent again, it is a repeat; the same amend under another id finds its commit recorded.
        const again = await store.applyFacts([amend, { ...amend, id: `${amend.id}-b` }])
        if (!again.deferred) expect(again.skipped).toEqual([{ id: amend.id, reason: REPEAT }, { id: `${amend.id}-b`, reason: expect.stringContaining('already recorded') as unknown }])
        expect((await store.find('commits')).map((commit) => commit.hash)).toEqual([AMENDED])
        expect((await store.get('setups', [SETUP]))?.state).toEqual(setup?.state)
      }),
  },
  {
    name: 'an amend of a commit not recorded, or recorded for another setup, is a new commit that says what it amends',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        const t = createFactScript({ setup: OTHER, project: PROJECT })
        await applied(store, [s.amend(AMENDED, UNKNOWN, 'fix: typo'), t.commit(FIRST, 'theirs'), s.amend(AGAIN, FIRST, 'mine now')])
        const commits = (await store.find('commits')).map((c) => [c.setup, c.hash, c.amends]).sort((a, b) => String(a[1]).localeCompare(String(b[1])))
        expect(commits).toEqual([[OTHER, FIRST, undefined], [SETUP, AMENDED, UNKNOWN], [SETUP, AGAIN, FIRST]].sort((a, b) => String(a[1]).localeCompare(String(b[1]))))
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ commits: 2, experience: 2 })
        expect((await store.get('setups', [OTHER]))?.state).toMatchObject({ commits: 1, experience: 1 })
        expect((await checkRollups(store)).drift).toEqual([])
      }),
  },
  {
    name: 'an amend on another day keeps the commit on its first day; through amends of amends, every grade and bug follows it',
    run: (factory) =>
      withStore(factory, async (store) => {
        const day1 = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T23:00:00.000Z' })
        const day2 = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-02T09:00:00.000Z' })
        const day3 = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-03T09:00:00.000Z' })
        const first = day1.commit(FIRST, 'first try')
        await applied(store, [first, day1.grade(FIRST, { by: 'agent', agentGrade: 2 }), day1.bug('user', 'breaks the cart', FIRST)])
        await applied(store, [day2.amend(AMENDED, FIRST, 'second try'), day2.grade(AMENDED, { by: 'user', userGrade: 5 }), day2.toolCall()])
        expect((await store.find('usage', { order: 'oldest' })).map((day) => [day.day, day.commits, day.toolCalls])).toEqual([['2026-06-01', 1, 0], ['2026-06-02', 0, 1]])
        await applied(store, [day3.amend(AGAIN, AMENDED, 'third try')])
        expect((await store.find('commits')).map((c) => [c.hash, c.amends, c.message, c.at])).toEqual([[AGAIN, AMENDED, 'third try', first.at]])
        expect((await store.find('gradeEvents', { order: 'oldest' })).map((event) => event.commit)).toEqual([AGAIN, AGAIN])
        expect((await store.find('bugs')).map((bug) => bug.commit)).toEqual([AGAIN])
        expect(await store.find('retrospectives')).toEqual([expect.objectContaining({ commit: AGAIN, agentGrade: 2, userGrade: 5 })])
        expect((await store.find('usage', { order: 'oldest' })).map((day) => [day.day, day.commits, day.toolCalls, day.bugs])).toEqual([['2026-06-01', 1, 0, 1], ['2026-06-02', 0, 1, 0]])
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ commits: 1 })
        expect((await checkRollups(store)).drift).toEqual([])
      }),
  },
  {
    name: 'a grade, review or bug of a commit an amend replaced, replayed after the amend with its commit, follows to the replacement through amends of amends',
    run: (factory) =>
      withStore(factory, async (store) => {
        // Another database: the commit, then the user's grade, review and bug of it.
        const there = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:00.000Z' })
        const made = there.commit(FIRST, 'feat: cart')
        const graded = there.grade(FIRST, { by: 'user', userGrade: 5, userNote: 'great' })
        const reviewed = there.retrospective(FIRST, { agentNote: 'kept totals in cents' })
        const reported = there.bug('user', 'rounding', FIRST)
        // This one: the same commit (the same fact), amended twice.
        const here = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:30:00.000Z' })
        await applied(store, [made, here.amend(AMENDED, FIRST, 'feat: cart 2')])
        await applied(store, [here.amend(AGAIN, AMENDED, 'feat: cart 3')])
        // A merge or sync replays the other database's log: the commit's fact is a repeat here.
        const replay = await store.applyFacts([made, graded, reviewed, reported])
        if (!replay.deferred) expect(replay).toMatchObject({ applied: 3, skipped: [{ id: made.id, reason: REPEAT }] })
        expect((await store.find('commits')).map((c) => [c.hash, c.amends, c.replaced])).toEqual([[AGAIN, AMENDED, [FIRST, AMENDED]]])
        expect(await store.find('retrospectives')).toEqual([expect.objectContaining({ commit: AGAIN, userGrade: 5, userNote: 'great', agentNote: 'kept totals in cents' })])
        expect((await store.find('gradeEvents')).map((event) => [event.id, event.commit])).toEqual([[graded.id, AGAIN]])
        expect((await store.find('bugs')).map((bug) => [bug.id, bug.commit])).toEqual([[reported.id, AGAIN]])
        // The replacement has the user's grade now: a second one changes nothing.
        const again = await store.applyFacts([here.grade(AGAIN, { by: 'user', userGrade: 1 })])
        if (!again.deferred) expect(again.skipped).toEqual([expect.objectContaining({ reason: expect.stringContaining('already has the user grade') as unknown })])
        // A lone grade of the replaced commit, around its time, follows too.
        await applied(store, [there.grade(FIRST, { by: 'agent', agentGrade: 2 })])
        expect(await store.find('retrospectives')).toEqual([expect.objectContaining({ commit: AGAIN, userGrade: 5, agentGrade: 2 })])
        expect(new Set((await store.find('gradeEvents')).map((event) => event.commit))).toEqual(new Set([AGAIN]))
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ commits: 1 })
        expect((await store.find('usage')).map((day) => [day.commits, day.bugs, day.grades.user.count, day.grades.agent.count])).toEqual([[1, 1, 1, 1]])
        expect((await checkRollups(store)).drift).toEqual([])
      }),
  },
  {
    name: 'a commit an amend replaced does not come back under another fact id, whichever of the two arrives first',
    run: (factory) =>
      withStore(factory, async (store) => {
        const here = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:01.000Z' })
        const there = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T10:00:00.000Z' })
        await applied(store, [here.commit(FIRST, 'feat: cart'), here.amend(AMENDED, FIRST, 'feat: cart 2')])
        // The same commit as another host or a script timed it: another fact, the same hash.
        const again = there.commit(FIRST, 'feat: cart')
        const result = await store.applyFacts([again])
        if (!result.deferred) expect(result.skipped).toEqual([{ id: again.id, reason: expect.stringContaining(`was replaced by ${AMENDED}`) as unknown }])
        expect((await store.find('commits')).map((c) => c.hash)).toEqual([AMENDED])
        // Amended again: the first commit and the middle one stay replaced.
        await applied(store, [here.amend(AGAIN, AMENDED, 'feat: cart 3')])
        await applied(store, [{ ...again, id: `${again.id}-b` }, there.amend(AMENDED, FIRST, 'feat: cart 2')])
        expect((await store.find('commits')).map((c) => c.hash)).toEqual([AGAIN])
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ commits: 1, experience: 1 })
        expect((await store.find('usage')).map((day) => day.commits)).toEqual([1])
        expect((await checkRollups(store)).drift).toEqual([])

        // The amend first (its commit not recorded yet, so a commit of its own), then the commit it replaced.
        const other = createFactScript({ setup: OTHER, project: PROJECT, start: '2026-06-02T10:00:00.000Z' })
        await applied(store, [other.amend(UNKNOWN, AMENDED, 'theirs, amended'), other.commit(AMENDED, 'theirs')])
        expect((await store.find('commits', { setup: OTHER })).map((c) => [c.hash, c.amends])).toEqual([[UNKNOWN, AMENDED]])
        expect((await store.get('setups', [OTHER]))?.state).toMatchObject({ commits: 1 })
      }),
  },
  {
    name: 'gives the same records for amends applied in one batch, in several, or replayed from its fact log',
    run: async (factory) => {
      const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T21:00:00.000Z', stepMs: 20 * 60_000 })
      const facts = [
        s.toolCall(), s.commit(FIRST, 'feat: search'), s.grade(FIRST, { by: 'agent', agentGrade: 5 }), s.retrospective(FIRST, { agentNote: 'learned' }),
        s.grade(FIRST, { by: 'user', userGrade: 2, userNote: 'ok' }), s.bug('user', 'slow', FIRST), s.toolCall(), s.amend(AMENDED, FIRST, 'feat: search, faster'),
        s.grade(AMENDED, { by: 'user', userGrade: 5 }), s.toolCall(), s.amend(AGAIN, AMENDED), s.commit(UNKNOWN, 'next'), s.push(),
      ]
      const whole = await factory({})
      const split = await factory({})
      const replayed = await factory({})
      try {
        await whole.applyFacts(facts)
        for (const fact of facts) await split.applyFacts([fact])
        await replayed.applyFacts((await collect(whole.readFactLog())).map((entry) => entry.fact))
        const expected = await everything(whole)
        expect(await everything(split)).toEqual(expected)
        expect(await everything(replayed)).toEqual(expected)
        expect((expected.commits as { hash: string }[]).map((c) => c.hash).sort()).toEqual([UNKNOWN, AGAIN].sort())
        expect(expected.retrospectives).toEqual([expect.objectContaining({ commit: AGAIN, agentGrade: 5, userGrade: 2, agentNote: 'learned', userNote: 'ok' })])
        for (const store of [whole, split, replayed]) expect((await checkRollups(store)).drift).toEqual([])
      } finally {
        await whole.close()
        await split.close()
        await replayed.close()
      }
    },
  },
]
