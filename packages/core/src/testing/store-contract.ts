import { describe, expect, it } from 'vitest'
import type { AgentState } from '../scoring/agent-state.js'
import { initialState } from '../scoring/agent-state.js'
import { applyFacts } from '../scoring/apply-fact.js'
import { isTrackerError } from '../errors.js'
import type { Fact } from '../facts/facts.js'
import { parseSetupId } from '../facts/setup-id.js'
import type { SetupRecord } from '../store/records.js'
import { COLLECTIONS } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { REPEAT, SCHEMA_VERSION, visitRecords } from '../store/tracker-store.js'
import { checkRollups } from '../rollups/check-rollups.js'
import { NO_GRADES } from '../rollups/usage-rollup.js'
import { createFactScript } from './fact-script.js'
import type { StoreContractCheck, StoreFactory } from './contract-helpers.js'
import { collect, withStore } from './contract-helpers.js'
import { AMEND_CONTRACT_CHECKS } from './amend-contract.js'
import { evidenceFactId } from '../evidence/evidence-ids.js'
import { verdictFacts } from '../read-services/evidence.js'

export type { StoreContractCheck, StoreFactory } from './contract-helpers.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const OTHER = 'plan@openai/gpt-5'
const PROJECT = '/home/dev/shop:v2/app'
const SECOND = '/home/dev/données/api'

async function expectCode(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught)
  expect(error, `expected the call to fail with ${code}`).toBeDefined()
  expect(isTrackerError(error) ? error.code : error).toBe(code)
}

function withoutKind(fact: Fact): Omit<Fact, 'kind'> {
  const { kind: _kind, ...rest } = fact
  return rest
}

/** A setup record as another database would hold it. */
function importedSetup(id: string, state: AgentState): SetupRecord {
  return { v: 1, id, ...parseSetupId(id), state, firstSeenAt: '2025-12-01T00:00:00.000Z', lastSeenAt: '2025-12-31T00:00:00.000Z' }
}

/** A mixed, realistic sequence of facts for one setup. */
function mixedSequence(): Fact[] {
  const s = createFactScript({ setup: SETUP, project: PROJECT, session: 'ses_1' })
  return [
    ...Array.from({ length: 37 }, (_, i) => s.toolCall(i % 5 === 0 ? 'edit' : 'bash', i % 9 !== 0)),
    s.command('grade'),
    s.commit('a1b2c3d4e5', 'add cart'),
    s.grade('a1b2c3d4e5', { by: 'agent', agentGrade: 2, agentNote: 'went well' }),
    s.grade('a1b2c3d4e5', { by: 'user', userGrade: 5, userNote: 'great' }),
    s.push('origin', 'main'),
    s.usage({ input: 1200, output: 300, reasoning: 50 }, 0.0123),
    s.bug('user', 'cart total wrong', 'a1b2c3d4e5'),
    s.activity('cart', 'shipped'),
    s.commit('f6e5d4c3b2', 'fix total'),
    ...Array.from({ length: 70 }, () => s.toolCall('read')),
  ]
}

/** Every behaviour the port promises. */
export const STORE_CONTRACT_CHECKS: readonly StoreContractCheck[] = [
  {
    name: 'starts empty at the current schema version',
    run: (factory) =>
      withStore(factory, async (store) => {
        expect(await store.schemaVersion()).toBe(SCHEMA_VERSION)
        for (const collection of COLLECTIONS) expect(await store.find(collection)).toEqual([])
        expect(await store.get('setups', [SETUP])).toBeUndefined()
        expect(await store.listMigrations()).toEqual([])
        expect(await store.lastFactSeq()).toBe(0)
        expect(await collect(store.readFactLog())).toEqual([])
      }),
  },
  {
    name: 'applies facts with the scoring reducer and reads them back at once',
    run: (factory) =>
      withStore(factory, async (store) => {
        const facts = mixedSequence()
        const result = await store.applyFacts(facts)
        expect(result).toEqual(result.deferred ? { deferred: true, accepted: facts.length } : expect.objectContaining({ applied: facts.length, skipped: [] }))
        const setup = await store.get('setups', [SETUP])
        expect(setup?.state).toEqual(applyFacts(initialState(store.rules), facts, store.rules))
        expect(setup).toMatchObject({ agent: 'build', provider: 'anthropic', model: 'claude-sonnet-4-5' })
        expect(setup?.firstSeenAt).toBe(facts[0]?.at)
        expect(setup?.lastSeenAt).toBe(facts.at(-1)?.at)
      }),
  },
  {
    name: 'honours the rules it was opened with',
    run: (factory) =>
      withStore(
        factory,
        async (store) => {
          const s = createFactScript({ setup: SETUP, project: PROJECT })
          await store.applyFacts([s.toolCall(), s.toolCall(), s.commit('abcd1234')])
          expect((await store.get('setups', [SETUP]))?.state.experience).toBe(2 * 0.5 + 3)
        },
        { experience: { toolCall: 0.5, commit: 3 } },
      ),
  },
  {
    name: 'keys commits by project and hash and finds them by setup, project and time',
    run: (factory) =>
      withStore(factory, async (store) => {
        const a = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-03-01T10:00:00.000Z', stepMs: 3_600_000 })
        const b = createFactScript({ setup: OTHER, project: SECOND, start: '2026-03-01T10:30:00.000Z', stepMs: 3_600_000 })
        await store.applyFacts([a.commit('aaaa0001'), b.commit('bbbb0001'), a.commit('aaaa0002'), b.commit('bbbb0002'), a.commit('aaaa0003')])
        expect(await store.get('commits', [PROJECT, 'aaaa0002'])).toMatchObject({ setup: SETUP, message: 'commit aaaa0002', project: PROJECT })
        expect(await store.get('commits', [SECOND, 'aaaa0002'])).toBeUndefined()
        const hashes = async (query: Parameters<TrackerStore['find']>[1]): Promise<string[]> =>
          (await store.find('commits', query)).map((c) => c.hash)
        expect(await hashes({ setup: SETUP })).toEqual(['aaaa0003', 'aaaa0002', 'aaaa0001'])
        expect(await hashes({ setup: SETUP, limit: 2 })).toEqual(['aaaa0003', 'aaaa0002'])
        expect(await hashes({ setup: SETUP, order: 'oldest', limit: 2 })).toEqual(['aaaa0001', 'aaaa0002'])
        expect(await hashes({ project: SECOND })).toEqual(['bbbb0002', 'bbbb0001'])
        expect(await hashes({})).toEqual(['aaaa0003', 'bbbb0002', 'aaaa0002', 'bbbb0001', 'aaaa0001'])
        expect(await hashes({ since: '2026-03-01T11:00:00Z', until: '2026-03-01T12:00:00Z' })).toEqual(['bbbb0002', 'aaaa0002'])
        expect(await hashes({ setup: SETUP, since: '2026-03-01T11:00:00+01:00' })).toEqual(['aaaa0003', 'aaaa0002', 'aaaa0001'])
        expect(await hashes({ setup: 'nobody' })).toEqual([])
        expect((await hashes({ order: 'any' })).sort()).toEqual(['aaaa0001', 'aaaa0002', 'aaaa0003', 'bbbb0001', 'bbbb0002'])
        expect((await hashes({ setup: SETUP, order: 'any', since: '2026-03-01T11:00:00Z' })).sort()).toEqual(['aaaa0002', 'aaaa0003'])
      }),
  },
  {
    name: 'orders events of one instant by id and returns the latest N for a setup',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT, stepMs: 0 })
        const t = createFactScript({ setup: OTHER, project: PROJECT, stepMs: 0 })
        const mine = Array.from({ length: 12 }, (_, i) => s.activity(`task ${String(i)}`))
        await store.applyFacts([...mine, t.activity('other')])
        const latest = await store.find('activities', { setup: SETUP, limit: 3 })
        expect(latest.map((a) => a.task)).toEqual(['task 11', 'task 10', 'task 9'])
        expect(latest[0]).toMatchObject({ setup: SETUP, project: PROJECT, actions: 'worked on task 11', outcome: 'done' })
        expect(await store.find('activities', { setup: OTHER })).toHaveLength(1)
      }),
  },
  {
    name: 'keeps project paths with colons, spaces and non-ASCII characters intact',
    run: (factory) =>
      withStore(factory, async (store) => {
        const odd = 'C:\\Users\\Zoë\\my app: v3'
        const s = createFactScript({ setup: SETUP, project: odd })
        await store.applyFacts([s.commit('deadbeef')])
        expect(await store.get('projects', [odd])).toMatchObject({ path: odd, name: 'my app: v3' })
        expect((await store.find('commits', { project: odd }))[0]?.hash).toBe('deadbeef')
      }),
  },
  {
    name: 'skips a commit recorded twice and counts it once',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        const first = s.commit('c0ffee01')
        await store.applyFacts([first])
        const again = s.commit('c0ffee01')
        const result = await store.applyFacts([again])
        if (!result.deferred) {
          expect(result.applied).toBe(0)
          expect(result.skipped).toEqual([{ id: again.id, reason: expect.stringContaining('already recorded') as unknown }])
        }
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ commits: 1, experience: 1 })
      }),
  },
  {
    name: 'skips a fact whose id it has taken, in the same batch or a later one, as a repeat',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        const call = s.toolCall()
        const commit = s.commit('abcd0001')
        const first = await store.applyFacts([call, call, commit])
        if (!first.deferred) expect(first).toMatchObject({ applied: 2, skipped: [{ id: call.id, reason: REPEAT }] })
        // Same ids, other content: still repeats — the id says which fact it is.
        const later = s.toolCall('edit', false)
        const again = await store.applyFacts([{ ...later, id: call.id }, { ...s.commit('ffff9999'), id: commit.id }, later])
        if (!again.deferred) expect(again).toMatchObject({ applied: 1, skipped: [{ id: call.id, reason: REPEAT }, { id: commit.id, reason: REPEAT }] })
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ toolCalls: 2, toolFailures: 1, commits: 1 })
        expect((await store.find('commits')).map((c) => c.hash)).toEqual(['abcd0001'])
        expect(await store.knownFactIds([call.id, commit.id, later.id, 'never-seen'])).toEqual(new Set([call.id, commit.id, later.id]))
      }),
  },
  {
    name: 'logs every fact it takes, applied or without effect, in order with sequence numbers',
    run: (factory) =>
      withStore(factory, async (store) => {
        const facts = mixedSequence()
        const s = createFactScript({ setup: OTHER, project: PROJECT })
        const noEffect = s.commit('a1b2c3d4e5')
        await store.applyFacts(facts)
        await store.applyFacts([facts[3] ?? noEffect, noEffect])
        const log = await collect(store.readFactLog())
        expect(log.map((entry) => entry.seq)).toEqual(Array.from({ length: facts.length + 1 }, (_, i) => i + 1))
        expect(log.map((entry) => entry.fact)).toEqual([...facts, noEffect])
        expect(await store.lastFactSeq()).toBe(facts.length + 1)
        const page = await collect(store.readFactLog({ after: 10, limit: 3 }))
        expect(page.map((entry) => [entry.seq, entry.fact.id])).toEqual([11, 12, 13].map((seq) => [seq, facts[seq - 1]?.id]))
        expect(await collect(store.readFactLog({ after: facts.length + 1 }))).toEqual([])
        await expectCode(collect(store.readFactLog({ after: -1 })), 'INVALID_QUERY')
        await expectCode(collect(store.readFactLog({ limit: 1.5 })), 'INVALID_QUERY')
      }),
  },
  {
    name: 'merges both grades into one retrospective and keeps each party to one grade',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        await store.applyFacts([s.commit('feed0001', 'add search')])
        await store.applyFacts([s.grade('feed0001', { by: 'agent', agentGrade: 2, agentNote: 'clean' })])
        await store.applyFacts([s.grade('feed0001', { by: 'user', userGrade: 5, userNote: 'superb' })])
        const repeat = await store.applyFacts([s.grade('feed0001', { by: 'agent', agentGrade: 5 })])
        if (!repeat.deferred) expect(repeat.applied).toBe(0)
        const retro = await store.get('retrospectives', [SETUP, 'feed0001'])
        expect(retro).toMatchObject({ task: 'add search', agentGrade: 2, userGrade: 5, agentNote: 'clean', userNote: 'superb', scoreBefore: 60, scoreAfter: 67 })
        const events = await store.find('gradeEvents', { setup: SETUP, order: 'oldest' })
        expect(events.map((e) => [e.by, e.scoreBefore, e.scoreAfter])).toEqual([['agent', 60, 62], ['user', 62, 67]])
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ communication: 67, experience: 2 })
      }),
  },
  {
    name: 'keeps a user grade from a channel not the user\'s own as a grade event that changes no score and takes no retrospective slot',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        await store.applyFacts([s.commit('feed0002', 'add cart')])
        const forged = s.grade('feed0002', { by: 'user', userGrade: 5, agentGrade: 5, channel: 'cli-script' })
        const result = await store.applyFacts([forged])
        if (!result.deferred) expect(result.applied).toBe(1)
        expect(await store.get('retrospectives', [SETUP, 'feed0002'])).toBeUndefined()
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ communication: 60, experience: 1, userGrades: { count: 0, sum: 0 }, agentGrades: { count: 0, sum: 0 } })
        await store.applyFacts([s.grade('feed0002', { by: 'user', userGrade: 2, channel: 'slash-command' }), s.grade('feed0002', { by: 'agent', agentGrade: 1, channel: 'agent-tool' })])
        expect(await store.get('retrospectives', [SETUP, 'feed0002'])).toMatchObject({ userGrade: 2, userGradeChannel: 'slash-command', agentGrade: 1, agentGradeChannel: 'agent-tool' })
        await store.applyFacts([s.grade('feed0002', { by: 'user', userGrade: -1, channel: 'ingest', vouched: true })])
        const events = await store.find('gradeEvents', { setup: SETUP, order: 'oldest' })
        expect(events.map((e) => [e.channel, e.vouched, e.userGrade ?? e.agentGrade, e.scoreBefore, e.scoreAfter])).toEqual([
          ['cli-script', undefined, 5, 60, 60], ['slash-command', undefined, 2, 60, 62], ['agent-tool', undefined, 1, 62, 63],
        ])
        // A vouched grade counts as the user's own, so it finds the commit graded already.
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ communication: 63, userGrades: { count: 1, sum: 2 } })
      }),
  },
  {
    name: 'records bugs, halts at zero skill points and reinstates',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        const bug = s.bug('user', 'broke checkout')
        await store.applyFacts([bug])
        const halted = await store.get('setups', [SETUP])
        expect(halted?.state.skillPoints).toBe(0)
        expect(halted?.haltedAt).toBe(bug.at)
        expect(await store.find('bugs', { setup: SETUP })).toEqual([expect.objectContaining({ note: 'broke checkout', by: 'user', skillPointsAfter: 0 })])
        const reinstate = s.reinstate()
        await store.applyFacts([reinstate])
        const back = await store.get('setups', [SETUP])
        expect(back?.state.skillPoints).toBe(1)
        expect(back?.reinstatedAt).toBe(reinstate.at)
      }),
  },
  {
    name: 'aggregates tool calls, usage and cost per setup, project and day',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-05-01T22:00:00.000Z', stepMs: 30 * 60_000 })
        await store.applyFacts([
          s.toolCall('bash', true), s.toolCall('bash', false, 1), s.usage({ input: 100, output: 20 }, 0.5),
          s.toolCall('read', true), s.commit('abab0001'), s.push(), s.usage({ input: 10, output: 2, cacheRead: 7 }, 0.25),
        ])
        const days = await store.find('usage', { setup: SETUP, order: 'oldest' })
        expect(days.map((d) => [d.day, d.toolCalls, d.toolFailures, d.messages, d.commits, d.pushes, d.cost])).toEqual([
          ['2026-05-01', 3, 1, 1, 0, 0, 0.5],
          ['2026-05-02', 0, 0, 1, 1, 1, 0.25],
        ])
        expect(days[1]?.tokens).toEqual({ input: 10, output: 2, reasoning: 0, cacheRead: 7, cacheWrite: 0 })
        expect(await store.find('usage', { since: '2026-05-02T12:00:00Z' })).toHaveLength(1)
        expect(await store.find('usage', { until: '2026-05-02' })).toHaveLength(1)
      }),
  },
  {
    name: 'rolls commits, bugs and grades up per setup, project and day, beside tool calls, tokens and cost',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-05-01T08:00:00.000Z', stepMs: 60 * 60_000 })
        const t = createFactScript({ setup: SETUP, project: SECOND, start: '2026-05-01T08:30:00.000Z', stepMs: 60 * 60_000 })
        await store.applyFacts([
          s.commit('cafe0001'), s.grade('cafe0001', { by: 'user', userGrade: 5, agentGrade: 2 }), s.bug('user', 'typo'),
          s.commit('cafe0002'), s.grade('cafe0002', { by: 'agent', agentGrade: -1 }), t.commit('cafe0003'), t.toolCall(),
          t.grade('cafe0003', { by: 'user', userGrade: 2, channel: 'cli-script' }), t.grade('cafe0003', { by: 'user', userGrade: -1, channel: 'slash-command' }),
        ])
        const rows = await store.find('usage', { order: 'oldest' })
        expect(rows.map((row) => [row.project, row.commits, row.bugs, row.grades, row.toolCalls])).toEqual([
          [PROJECT, 2, 1, { agent: { count: 2, sum: 1, squares: 5 }, user: { count: 1, sum: 5, squares: 25 }, userByChannel: { unrecorded: { grades: 1, counted: 1, sum: 5 } }, communication: 6 }, 0],
          // A user grade from a channel not the user's counts for nothing, but shows by channel.
          [SECOND, 1, 0, { agent: { count: 0, sum: 0, squares: 0 }, user: { count: 1, sum: -1, squares: 1 }, userByChannel: { 'cli-script': { grades: 1, counted: 0, sum: 2 }, 'slash-command': { grades: 1, counted: 1, sum: -1 } }, communication: -1 }, 1],
        ].sort((a, b) => (a[0] as string).localeCompare(b[0] as string)))
        expect(rows.every((row) => row.baseline === undefined)).toBe(true)
        // What the grades moved the communication score by is the rollup's, as their events recorded it.
        const events = await store.find('gradeEvents')
        for (const row of rows) {
          const moved = events.filter((event) => event.project === row.project).reduce((sum, event) => sum + (event.scoreAfter ?? 0) - (event.scoreBefore ?? 0), 0)
          expect(row.grades.communication).toBeCloseTo(moved, 9)
        }
      }),
  },
  {
    name: 'imports keep the day rollups exact, and an imported rollup gives its counters once, where none are counted yet',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-05-02T08:00:00.000Z' })
        await store.applyFacts([s.toolCall(), s.toolCall()])
        const [own] = await store.find('usage')
        if (own === undefined) throw new Error('rollup missing')
        // A rollup with counters of its own is kept as it is, like any stored record.
        expect(await store.importRecords({ usage: [{ ...own, toolCalls: 40 }] })).toEqual({ written: 0, skipped: 1 })
        expect((await store.get('usage', [SETUP, PROJECT, '2026-05-02']))?.toolCalls).toBe(2)
        const at = '2026-05-03T12:00:00.000Z'
        const imported = { ...own, day: '2026-05-03', toolCalls: 5, toolFailures: 1, commits: 9, cost: 1.5, messages: 3 }
        const commit = { v: 1 as const, project: PROJECT, hash: 'beef0001', setup: SETUP, at, message: 'imported' }
        const grade = { v: 1 as const, id: 'g-imported', setup: SETUP, project: PROJECT, commit: 'beef0001', at, by: 'user' as const, userGrade: 2 as const }
        const bug = { v: 1 as const, id: 'b-imported', setup: SETUP, project: PROJECT, at, by: 'user' as const, skillPointsAfter: 0 }
        expect(await store.importRecords({ usage: [imported], commits: [commit], gradeEvents: [grade], bugs: [bug] })).toEqual({ written: 4, skipped: 0 })
        const expected = {
          toolCalls: 5, toolFailures: 1, commits: 1, bugs: 1, cost: 1.5, messages: 3,
          grades: { agent: { count: 0, sum: 0, squares: 0 }, user: { count: 1, sum: 2, squares: 4 } },
          baseline: { toolCalls: 5, toolFailures: 1, commands: 0, pushes: 0, messages: 3, tokens: own.tokens, cost: 1.5 },
        }
        expect(await store.get('usage', [SETUP, PROJECT, '2026-05-03'])).toMatchObject(expected)
        expect(await store.importRecords({ usage: [imported], commits: [commit], gradeEvents: [grade], bugs: [bug] })).toEqual({ written: 0, skipped: 4 })
        expect(await store.get('usage', [SETUP, PROJECT, '2026-05-03'])).toMatchObject(expected)
        // Events imported first make a rollup without counters; a rollup imported after them still gives its counters.
        const next = { ...commit, hash: 'beef0002', at: '2026-05-04T12:00:00.000Z' }
        expect(await store.importRecords({ commits: [next] })).toEqual({ written: 1, skipped: 0 })
        expect(await store.importRecords({ usage: [{ ...imported, day: '2026-05-04' }] })).toEqual({ written: 1, skipped: 0 })
        expect(await store.get('usage', [SETUP, PROJECT, '2026-05-04'])).toMatchObject({ commits: 1, toolCalls: 5, baseline: { toolCalls: 5 } })
      }, undefined, { scoresApart: 'bare records imported without their setup\'s scores' }),
  },
  {
    name: 'collapses many facts on one record into one put',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT, stepMs: 1 })
        const result = await store.applyFacts(Array.from({ length: 1000 }, () => s.toolCall()))
        // A buffering store collapses at flush time; its own tests check that.
        if (!result.deferred) expect(result).toMatchObject({ applied: 1000, recordsWritten: 3 })
        expect((await store.get('setups', [SETUP]))?.state.toolCalls).toBe(1000)
      }),
  },
  {
    name: 'applies a batch atomically: one invalid fact rejects all of it',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        const broken = { ...s.toolCall(), ok: 'yes' } as unknown as Fact
        await expectCode(store.applyFacts([s.toolCall(), s.commit('aaaa1111'), broken]), 'INVALID_FACT')
        expect(await store.find('setups')).toEqual([])
        expect(await store.find('commits')).toEqual([])
      }),
  },
  {
    name: 'keeps git evidence apart from the scores: recorded once, judged by verdicts, a confirmation scored once as a bug',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        await store.applyFacts([s.commit('a1b2c3d4e5', 'add cart')])
        const before = (await store.get('setups', [SETUP]))?.state
        const id = evidenceFactId('suspected-bug', PROJECT, 'a1b2c3d4e5', 'f0f0f0f0f0')
        const evidence: Fact = {
          id, kind: 'evidence', signal: 'suspected-bug', at: '2026-03-02T10:00:00.000Z', setup: SETUP, project: PROJECT,
          commit: 'a1b2c3d4e5', source: 'f0f0f0f0f0', subject: 'fix: cart total', files: ['src/cart.ts'], lines: 2, pattern: 'fix',
        }
        await store.applyFacts([evidence])
        await store.applyFacts([evidence])
        expect((await store.get('setups', [SETUP]))?.state).toEqual(before)
        const stored = await store.get('evidence', [SETUP, id])
        expect(stored).toEqual({ v: 1, ...withoutKind(evidence), status: 'open' })
        expect(await store.find('evidence', { project: PROJECT })).toEqual([stored])
        if (stored === undefined) throw new Error('evidence missing')

        const confirm = verdictFacts(stored, 'confirmed', '2026-03-03T09:00:00.000Z')
        await store.applyFacts(confirm)
        await store.applyFacts(verdictFacts(stored, 'confirmed', '2026-03-04T09:00:00.000Z'))
        expect(await store.get('evidence', [SETUP, id])).toMatchObject({ status: 'confirmed', decidedAt: '2026-03-03T09:00:00.000Z' })
        expect((await store.get('setups', [SETUP]))?.state).toMatchObject({ bugs: 1, skillPoints: (before?.skillPoints ?? 0) - 1 })
        const retract: Fact = { id: `${id}:retracted`, kind: 'verdict', verdict: 'retracted', evidence: id, at: '2026-03-05T09:00:00.000Z', setup: SETUP, project: PROJECT }
        await store.applyFacts([retract])
        expect(await store.get('evidence', [SETUP, id])).toMatchObject({ status: 'confirmed' })
        expect(await store.find('bugs', { setup: SETUP })).toHaveLength(1)
        expect(await store.knownFactIds([id, confirm[1]?.id ?? '', retract.id])).toEqual(new Set([id, confirm[1]?.id, retract.id]))
      }),
  },
  {
    name: 'gives the same state whether a sequence is applied whole or in batches',
    run: async (factory) => {
      const facts = mixedSequence()
      const whole = await factory({})
      const split = await factory({})
      try {
        await whole.applyFacts(facts)
        for (let i = 0; i < facts.length; i += 7) await split.applyFacts(facts.slice(i, i + 7))
        for (const collection of COLLECTIONS) {
          expect(await split.find(collection), collection).toEqual(await whole.find(collection))
        }
      } finally {
        await whole.close()
        await split.close()
      }
    },
  },
  {
    name: 'loses no increment when batches are applied concurrently',
    run: (factory) =>
      withStore(factory, async (store) => {
        const scripts = Array.from({ length: 25 }, (_, i) => createFactScript({ setup: SETUP, project: PROJECT, session: `ses_${String(i)}` }))
        await Promise.all(scripts.map((s) => store.applyFacts(Array.from({ length: 8 }, () => s.toolCall()))))
        const state = (await store.get('setups', [SETUP]))?.state
        expect(state?.toolCalls).toBe(200)
        expect(state).toMatchObject({ skillPoints: 2, experience: 10 })
      }),
  },
  {
    name: 'imports records additively: never overwrites, idempotent',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        await store.applyFacts([s.commit('1111aaaa', 'mine')])
        const kept = await store.get('commits', [PROJECT, '1111aaaa'])
        if (kept === undefined) throw new Error('commit missing')
        const imported = { ...kept, hash: '2222bbbb', message: 'imported' }
        const clash = { ...kept, message: 'must not replace' }
        expect(await store.importRecords({ commits: [imported, clash] })).toEqual({ written: 1, skipped: 1 })
        expect(await store.importRecords({ commits: [imported, clash] })).toEqual({ written: 0, skipped: 2 })
        expect((await store.get('commits', [PROJECT, '1111aaaa']))?.message).toBe('mine')
        expect((await store.get('commits', [PROJECT, '2222bbbb']))?.message).toBe('imported')
      }, undefined, { scoresApart: 'a bare commit imported without its setup\'s scores' }),
  },
  {
    name: 'imports setups from other databases: adds the absent, combines the present once per source',
    run: (factory) =>
      withStore(factory, async (store) => {
        const s = createFactScript({ setup: SETUP, project: PROJECT })
        await store.applyFacts([s.commit('aaaa0001'), s.bug('user')])
        const start = initialState(store.rules)
        const theirs = importedSetup(SETUP, { ...start, skillPoints: 3, experience: 4, communication: 70, commits: 12, bugs: 2, userGrades: { count: 4, sum: 11 } })
        const first = await store.importSetups('merge:/laptop.lmdb', [theirs, importedSetup(OTHER, { ...start, commits: 1 })])
        expect(first).toMatchObject({ written: 1, skipped: 0, combined: [{ id: SETUP, before: { commits: 1, bugs: 1 }, after: { commits: 13, bugs: 3 } }] })
        const combined = await store.get('setups', [SETUP])
        expect(combined?.state).toMatchObject({ commits: 13, bugs: 3, skillPoints: 2, experience: 5, communication: 70, userGrades: { count: 4, sum: 11 } })
        expect(await store.importSetups('merge:/laptop.lmdb', [theirs])).toEqual({ written: 0, combined: [], skipped: 1 })
        expect((await store.get('setups', [SETUP]))?.state).toEqual(combined?.state)
        await store.importSetups('merge:/laptop.lmdb', [importedSetup(SETUP, { ...theirs.state, commits: 15 })])
        expect((await store.get('setups', [SETUP]))?.state.commits).toBe(16)
        expect((await store.get('setups', [OTHER]))?.state.commits).toBe(1)
      }),
  },
  {
    name: 'moves what an import put under the wrong setup to the right one',
    run: (factory) =>
      withStore(factory, async (store) => {
        const wrong = 'unattributed-shop'
        const source = `legacy-files:${PROJECT}`
        const at = '2026-02-23T17:00:00.000Z'
        const mine = createFactScript({ setup: SETUP, project: PROJECT })
        await store.applyFacts([mine.commit('bbbb0002'), mine.grade('bbbb0002', { by: 'user', userGrade: 2 })])
        await store.importRecords({
          commits: [{ v: 1, project: PROJECT, hash: 'cccc0003', setup: wrong, at, message: 'legacy' }],
          retrospectives: [
            { v: 1, setup: wrong, commit: 'cccc0003', project: PROJECT, at, updatedAt: at, userGrade: 5 },
            { v: 1, setup: wrong, commit: 'bbbb0002', project: PROJECT, at, updatedAt: at, userGrade: 1 },
          ],
          activities: [{ v: 1, id: 'legacy-1', setup: wrong, project: PROJECT, at, task: 'journal', actions: '', outcome: '', decisions: '' }],
        })
        await store.importSetups(source, [importedSetup(wrong, { ...initialState(store.rules), userGrades: { count: 2, sum: 6 } })])
        const result = await store.reattribute({ from: wrong, to: SETUP, project: PROJECT, source })
        expect(result).toEqual({ moved: 3, dropped: 1, removedSetup: true })
        expect(await store.get('setups', [wrong])).toBeUndefined()
        expect((await store.get('setups', [SETUP]))?.state.userGrades).toEqual({ count: 3, sum: 8 })
        expect((await store.find('commits', { setup: SETUP })).map((c) => c.hash).sort()).toEqual(['bbbb0002', 'cccc0003'])
        expect(await store.find('commits', { setup: wrong })).toEqual([])
        expect((await store.get('retrospectives', [SETUP, 'bbbb0002']))?.userGrade).toBe(2)
        expect(await store.find('activities', { setup: SETUP })).toMatchObject([{ id: 'legacy-1', setup: SETUP }])
        for (const collection of COLLECTIONS) expect((await store.find(collection)).filter((record) => (record as { setup?: string }).setup === wrong)).toEqual([])
        await expectCode(store.reattribute({ from: wrong, to: 'bad@id', project: PROJECT, source }), 'INVALID_SETUP_ID')
      }),
  },
  {
    name: 'keeps the day rollups exact across a reattribution, and reads the facts logged before it as the new setup\'s',
    run: (factory) =>
      withStore(factory, async (store) => {
        const wrong = 'unattributed-app'
        const start = '2026-02-23T09:00:00.000Z'
        const mine = createFactScript({ setup: SETUP, project: PROJECT, start })
        const theirs = createFactScript({ setup: wrong, project: PROJECT, start: '2026-02-23T12:00:00.000Z' })
        const elsewhere = createFactScript({ setup: wrong, project: SECOND, start })
        await store.applyFacts([mine.commit('dddd0001'), mine.toolCall(), mine.usage({ input: 100 }, 0.5)])
        await store.applyFacts([theirs.commit('eeee0002'), theirs.toolCall('bash', false), theirs.usage({ input: 50 }, 0.25), theirs.grade('eeee0002', { by: 'user', userGrade: 5 }), elsewhere.toolCall()])
        const counters = { toolCalls: 7, toolFailures: 0, commands: 0, pushes: 0, messages: 0, tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 1 }
        // A day an import brought, whose counters no logged fact backs.
        await store.importRecords({ usage: [{ v: 2, setup: wrong, project: PROJECT, day: '2026-02-20', ...counters, commits: 0, bugs: 0, grades: NO_GRADES, baseline: counters }] })
        await store.reattribute({ from: wrong, to: SETUP, project: PROJECT, source: `legacy-files:${PROJECT}` })
        expect((await checkRollups(store)).drift).toEqual([])
        const days = await store.find('usage', { setup: SETUP, order: 'oldest' })
        expect(days.map((day) => [day.day, day.commits, day.toolCalls, day.toolFailures, day.messages, day.tokens.input, day.cost, day.grades.user.count, day.baseline?.toolCalls])).toEqual([
          ['2026-02-20', 0, 7, 0, 0, 0, 1, 0, 7],
          ['2026-02-23', 2, 2, 1, 2, 150, 0.75, 1, undefined],
        ])
        expect((await store.find('usage', { setup: wrong })).map((day) => [day.project, day.toolCalls])).toEqual([[SECOND, 1]])
        const after = theirs.toolCall()
        await store.applyFacts([after])
        const logged = []
        for await (const entry of store.readFactLog()) logged.push(entry.fact)
        expect(logged.filter((fact) => fact.project === PROJECT && fact.id !== after.id).every((fact) => fact.setup === SETUP)).toBe(true)
        expect(logged.filter((fact) => fact.project === SECOND || fact.id === after.id).map((fact) => fact.setup)).toEqual([wrong, wrong])
        expect((await checkRollups(store)).drift).toEqual([])
      }, undefined, { scoresApart: 'a reattribution of live facts: scores move only by an import\'s part' }),
  },
  {
    name: 'saves a project profile, keeping the rest of the project record',
    run: (factory) =>
      withStore(factory, async (store) => {
        const profile = { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: ['react'], sources: ['package.json'], fingerprint: 'f1', profiledAt: '2026-04-01T00:00:00.000Z' }
        const fresh = await store.saveProjectProfile('/home/dev/new', profile)
        expect(fresh).toMatchObject({ path: '/home/dev/new', name: 'new', profile })
        const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-01-01T00:00:00.000Z' })
        await store.applyFacts([s.commit('abcd0001')])
        await store.saveProjectProfile(PROJECT, profile)
        await store.saveProjectProfile(PROJECT, { ...profile, fingerprint: 'f2' })
        await store.applyFacts([s.toolCall()])
        expect(await store.get('projects', [PROJECT])).toMatchObject({ firstSeenAt: '2026-01-01T00:00:00.000Z', lastSeenAt: '2026-01-01T00:01:00.000Z', profile: { fingerprint: 'f2' } })
      }),
  },
  {
    name: 'remembers migrations, one record per source id',
    run: (factory) =>
      withStore(factory, async (store) => {
        const first = { id: 'project-db:/p', kind: 'project-database', source: '/p', at: '2026-01-01T00:00:00.000Z', migrated: 3, skipped: 0, errors: 0 } as const
        await store.recordMigration(first)
        await store.recordMigration({ ...first, at: '2026-01-02T00:00:00.000Z', migrated: 0, skipped: 3 })
        await store.recordMigration({ ...first, id: 'merge:/x', kind: 'merge', source: '/x', at: '2026-01-03T00:00:00.000Z' })
        const list = await store.listMigrations()
        expect(list.map((m) => [m.id, m.migrated, m.skipped])).toEqual([['project-db:/p', 0, 3], ['merge:/x', 3, 0]])
      }),
  },
  {
    name: 'scans every record of a collection in key order',
    run: (factory) =>
      withStore(factory, async (store) => {
        const a = createFactScript({ setup: OTHER, project: PROJECT })
        const b = createFactScript({ setup: SETUP, project: SECOND })
        await store.applyFacts([a.commit('0003'), b.commit('0001'), a.commit('0002')])
        const seen: string[] = []
        for await (const commit of store.scan('commits')) seen.push(`${commit.project}|${commit.hash}`)
        expect(seen).toEqual([`${SECOND}|0001`, `${PROJECT}|0002`, `${PROJECT}|0003`])
        const setups: string[] = []
        for await (const setup of store.scan('setups')) setups.push(setup.id)
        expect(setups).toEqual([SETUP, OTHER])
      }),
  },
  {
    name: 'lists commit references exactly as find lists the commits, for every filter, order and limit',
    run: (factory) =>
      withStore(factory, async (store) => {
        // Two setups in two projects; the same instants across scripts make ties of time.
        const scripts = [
          createFactScript({ setup: SETUP, project: PROJECT, stepMs: 3_600_000 }),
          createFactScript({ setup: OTHER, project: PROJECT, stepMs: 3_600_000 }),
          createFactScript({ setup: SETUP, project: SECOND, stepMs: 3_600_000 }),
        ]
        const facts = scripts.flatMap((s, which) => Array.from({ length: 6 }, (_, i) => s.commit(`${String(9 - i)}${String(which)}c0ffee`, `change ${String(i)}`)))
        await store.applyFacts(facts)
        const queries = [
          {}, { order: 'oldest' as const }, { order: 'any' as const }, { setup: SETUP }, { setup: OTHER, order: 'oldest' as const }, { project: SECOND },
          { setup: SETUP, project: PROJECT, limit: 2 }, { since: '2026-01-01T02:00:00Z', until: '2026-01-01T04:00:00Z' }, { setup: SETUP, since: '2026-01-01T03:00:00.000Z', limit: 3, order: 'oldest' as const }, { limit: 0 },
        ]
        for (const query of queries) {
          const commits = await store.find('commits', query)
          const refs = await store.findCommitRefs(query)
          const expected = commits.map(({ setup, project, hash, at }) => ({ setup, project, hash, at }))
          if (query.order === 'any') expect(new Set(refs.map((r) => JSON.stringify(r)))).toEqual(new Set(expected.map((r) => JSON.stringify(r))))
          else expect(refs, JSON.stringify(query)).toEqual(expected)
        }
        expect(await store.findCommitRefs()).toHaveLength(18)
        await expectCode(store.findCommitRefs({ since: 'yesterday' }), 'INVALID_TIMESTAMP')
      }),
  },
  {
    name: 'visits the records find returns, in its order, for every filter, order and limit',
    run: (factory) =>
      withStore(factory, async (store) => {
        // Two setups in two projects over several days: rollups, commits and grades to visit.
        const scripts = [
          createFactScript({ setup: SETUP, project: PROJECT, stepMs: 9 * 3_600_000 }),
          createFactScript({ setup: OTHER, project: PROJECT, stepMs: 9 * 3_600_000 }),
          createFactScript({ setup: SETUP, project: SECOND, stepMs: 9 * 3_600_000 }),
        ]
        await store.applyFacts(scripts.flatMap((s, which) => Array.from({ length: 4 }, (_, i) => {
          const hash = `${String(i)}${String(which)}aced`
          return [s.commit(hash), s.grade(hash, { by: 'user', userGrade: ([-1, 1, 2, 5] as const)[i] ?? 1 }), s.usage({ input: 100 * (i + 1) }, 0.5)]
        }).flat()))
        const visited = async (collection: 'usage' | 'commits' | 'projects', query: Parameters<TrackerStore['find']>[1]): Promise<unknown[]> => {
          const seen: unknown[] = []
          await visitRecords(store, collection, query ?? {}, (record) => seen.push(record))
          return seen
        }
        const queries = [
          {}, { order: 'any' as const }, { order: 'oldest' as const }, { setup: SETUP, order: 'any' as const }, { setup: SETUP, project: SECOND, order: 'any' as const }, { project: PROJECT, order: 'any' as const },
          { since: '2026-01-02T00:00:00Z', order: 'any' as const }, { order: 'any' as const, limit: 2 }, { limit: 0 },
        ]
        // `order: 'any'` promises no order: a store that writes in the background (the write buffer)
        // may give the same records in another order once a write has landed between two reads.
        const inAnyOrder = (records: unknown[]): string[] => records.map((record) => JSON.stringify(record)).sort()
        for (const collection of ['usage', 'commits', 'projects'] as const) {
          for (const query of queries) {
            if (collection === 'projects' && query.setup !== undefined) continue
            const [seen, found] = [await visited(collection, query), await store.find(collection, query)]
            if (query.order !== 'any') expect(seen, `${collection} ${JSON.stringify(query)}`).toEqual(found)
            else if (query.limit === undefined) expect(inAnyOrder(seen), `${collection} ${JSON.stringify(query)}`).toEqual(inAnyOrder(found))
            else {
              // As many as asked, each one of those the query finds without its limit.
              const { limit: _limit, ...unlimited } = query
              const all = new Set(inAnyOrder(await store.find(collection, unlimited)))
              expect(seen, `${collection} ${JSON.stringify(query)}`).toHaveLength(found.length)
              for (const record of inAnyOrder(seen)) expect(all.has(record), `${collection} ${JSON.stringify(query)}`).toBe(true)
            }
          }
        }
        expect(await visited('usage', { order: 'any' })).toHaveLength(15)
        await expectCode(visitRecords(store, 'commits', { since: 'yesterday' }, () => undefined), 'INVALID_TIMESTAMP')
        // What the visitor throws ends the read, and the store reads on afterwards.
        await expect(visitRecords(store, 'usage', { order: 'any' }, () => {
          throw new Error('enough')
        })).rejects.toThrow('enough')
        expect(await store.find('usage', { order: 'any' })).toHaveLength(15)
      }),
  },
  {
    name: 'rejects malformed queries with a clear error',
    run: (factory) =>
      withStore(factory, async (store) => {
        await expectCode(store.find('commits', { limit: -1 }), 'INVALID_QUERY')
        await expectCode(store.find('commits', { since: 'yesterday' }), 'INVALID_TIMESTAMP')
        await expectCode(store.find('setups', { project: PROJECT }), 'INVALID_QUERY')
      }),
  },
  {
    name: 'rejects every call after close',
    run: async (factory) => {
      const store = await factory({})
      await store.close()
      const s = createFactScript({ setup: SETUP, project: PROJECT })
      await expectCode(store.applyFacts([s.toolCall()]), 'STORE_CLOSED')
      await expectCode(store.get('setups', [SETUP]), 'STORE_CLOSED')
      await expectCode(store.find('commits'), 'STORE_CLOSED')
    },
  },
  ...AMEND_CONTRACT_CHECKS,
]

/**
 * Registers the whole contract as a vitest suite: `describeStoreContract('lmdb', factory)`.
 * Each check gets a fresh store from `factory`.
 */
export function describeStoreContract(name: string, factory: StoreFactory): void {
  describe(`store contract: ${name}`, () => {
    for (const check of STORE_CONTRACT_CHECKS) {
      it(check.name, () => check.run(factory))
    }
  })
}

/** Runs every check against a store and returns the names of those it fails (for meta-tests). */
export async function failingContractChecks(factory: StoreFactory): Promise<string[]> {
  const failing: string[] = []
  for (const check of STORE_CONTRACT_CHECKS) {
    try {
      await check.run(factory)
    } catch {
      failing.push(check.name)
    }
  }
  return failing
}
