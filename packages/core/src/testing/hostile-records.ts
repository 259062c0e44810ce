import { initialState } from '../scoring/agent-state.js'
import { resolveRules } from '../scoring/rules.js'
import type { RecordBatch, TrackerStore } from '../store/tracker-store.js'
import { createFactScript } from './fact-script.js'

const START = initialState(resolveRules({}))
const AT = '2026-03-02T10:00:00.000Z'

/** Setups of the hostile database whose values no rule can reach, by what is wrong with them. */
export const IMPOSSIBLE = {
  skillPoints: 'evil@x/sp',
  communication: 'evil@x/cs',
  negative: 'evil@x/negative',
  wrongType: 'evil@x/types',
  noState: 'evil@x/nostate',
} as const

/** An honest setup of the hostile database, with one real commit made through a fact. */
export const HONEST = 'build@anthropic/claude-sonnet-4-5'

/**
 * Writes into `store`, through its own API (facts and an additive import), next to honest work,
 * records no rule can produce — what a merge or an import must refuse at its door: SP 1e9, CS 1e12, negative counters, wrong types, a setup without state, a commit
 * with a number for a time, a grade event with grade 7, a rollup costing 1e12, a retrospective
 * nested 100 levels deep and a project whose profile has a number for its language. Returns the
 * number of impossible records written.
 */
export async function writeHostileRecords(store: Pick<TrackerStore, 'applyFacts' | 'importRecords'>): Promise<number> {
  const honest = createFactScript({ setup: HONEST, project: '/w/honest', start: '2026-03-01T00:00:00.000Z' })
  await store.applyFacts([honest.commit('abcd0001', 'real work'), honest.toolCall('bash', true), honest.grade('abcd0001', { by: 'user', userGrade: 5 })])
  const setup = (id: string, state: unknown): unknown => ({ v: 1, id, agent: id.split('@')[0], state, firstSeenAt: AT, lastSeenAt: AT })
  let deep: unknown = 'bottom'
  for (let level = 0; level < 100; level++) deep = { deeper: deep }
  const batch = {
    setups: [
      setup(IMPOSSIBLE.skillPoints, { ...START, skillPoints: 1e9 }),
      setup(IMPOSSIBLE.communication, { ...START, communication: 1e12 }),
      setup(IMPOSSIBLE.negative, { ...START, commits: -5, toolCalls: -100 }),
      setup(IMPOSSIBLE.wrongType, { ...START, commits: '12', experience: null }),
      { v: 1, id: IMPOSSIBLE.noState, agent: 'evil', firstSeenAt: AT, lastSeenAt: AT },
    ],
    commits: [
      { v: 1, project: '/w/evil', hash: 'eeee0001', setup: IMPOSSIBLE.skillPoints, at: '2026-13-45T99:00:00.000Z', message: 'bad time' },
      { v: 1, project: '/w/legacy', hash: 'ffff0001', setup: HONEST, at: '2026-02-01T09:00:00.000Z', message: 'an honest legacy commit no fact backs' },
    ],
    gradeEvents: [{ v: 1, id: 'g1', setup: HONEST, project: '/w/honest', commit: 'abcd0001', at: AT, by: 'user', userGrade: 7 }],
    usage: [{ v: 2, setup: HONEST, project: '/w/evil', day: '2026-03-02', toolCalls: 1, toolFailures: 0, commands: 0, pushes: 0, messages: 0, tokens: { input: 0, output: 0, reasoning: 0, cacheRead: 0, cacheWrite: 0 }, cost: 1e12, commits: 0, bugs: 0, grades: { agent: { count: 0, sum: 0, squares: 0 }, user: { count: 0, sum: 0, squares: 0 } } }],
    retrospectives: [{ v: 1, setup: HONEST, commit: 'abcd0002', project: '/w/honest', at: AT, updatedAt: AT, extra: deep }],
    projects: [{ v: 1, path: '/w/profiled', name: 'profiled', firstSeenAt: AT, lastSeenAt: AT, profile: { language: 42, framework: 'none', scope: 'cli', dependencies: 'all of them', sources: [], fingerprint: 'f', profiledAt: AT } }],
  } as unknown as RecordBatch
  const written = await store.importRecords(batch)
  // One honest legacy commit among them.
  return written.written - 1
}
