import { describe, expect, it } from 'vitest'
import type { Grade } from '../facts/grade.js'
import type { ProjectProfile } from '../projects/project-profile.js'
import type { RecordsOneByOne } from '../projects/recommend.js'
import { backtestRecommendations } from './backtest-recommendations.js'
import type { KnownTruth } from './known-truth.js'

const PROFILE: ProjectProfile = { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: ['react'], sources: [], fingerprint: 'x', profiledAt: '2026-01-01T00:00:00.000Z' }
const minute = (m: number, s = 0): string => `2026-01-01T00:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.000Z`

/**
 * A tiny history, by hand: two alike projects; A commits at minutes 0, 1, 2, 6, 8 (one) and 10
 * (two), B at 3, 4, 5, 7 (one) and 9, 11 (two); each commit graded half a minute later.
 */
const WORK: readonly (readonly [minute: number, setup: 'A' | 'B', project: string, grade: Grade])[] = [
  [0, 'A', '/one', 5], [1, 'A', '/one', 5], [2, 'A', '/one', 2], [3, 'B', '/one', 1], [4, 'B', '/one', -1], [5, 'B', '/one', 1],
  [6, 'A', '/one', 5], [7, 'B', '/one', -1], [8, 'A', '/one', 2], [9, 'B', '/two', 1], [10, 'A', '/two', 5], [11, 'B', '/two', -1],
]

const RECORDS: RecordsOneByOne = {
  projects: ['/one', '/two'].map((path) => ({ v: 1, path, name: path.slice(1), firstSeenAt: minute(0), lastSeenAt: minute(12), profile: PROFILE })),
  commits: WORK.map(([m, setup, project]) => ({ setup, project, hash: `c${String(m)}`, at: minute(m) })),
  gradeEvents: WORK.map(([m, setup, project, grade]) => ({ v: 1, id: `g${String(m)}`, setup, project, commit: `c${String(m)}`, at: minute(m, 30), by: 'user', userGrade: grade })),
  bugs: [],
  usage: [],
}

const TRUTH: KnownTruth = {
  projects: { '/one': 'web-app', '/two': 'web-app' },
  outcomes: [{ setup: 'A', kind: 'web-app', from: minute(0), meanGrade: 3, bugRate: 0 }, { setup: 'B', kind: 'web-app', from: minute(0), meanGrade: 1, bugRate: 0 }],
}

describe('backtestRecommendations on a hand-checked history', () => {
  it('decides at each project\'s first commit and every third, from what was known then, and scores against the truth', () => {
    const { decisions, summary } = backtestRecommendations(RECORDS, { every: 3, truth: TRUTH })
    // /one's commits 0, 3 and 6 are at minutes 0, 3 and 6; /two's first is at minute 9.
    expect(decisions.map((d) => [d.project, d.at, d.verdict])).toEqual([
      ['/one', minute(0), 'no-data'],
      ['/one', minute(3), 'not-enough-data'],
      ['/one', minute(6), 'not-enough-data'],
      ['/two', minute(9), 'named'],
    ])
    // Only grades given before each decision count: A's 3 by minute 3; A's 3 and B's 3 by minute 6; A's 5 and B's 4 by minute 9.
    expect(decisions.map((d) => d.intervals.map((i) => `${i.setup}${String(i.samples)}`))).toEqual([[], ['A3'], ['A3', 'B3'], ['A5', 'B4']])
    expect(decisions.map((d) => d.trueBest)).toEqual([null, null, 'A', 'A'])
    // Minute 6: nothing ranked (5 graded commits needed), so a guess between A (loses 0) and B (loses 2): 1.
    expect(decisions.map((d) => d.regret)).toEqual([null, null, 1, 0])
    expect(decisions[3]).toMatchObject({ pick: 'A', contenders: ['A'], namedCorrect: true, separations: [{ better: 'A', worse: 'B', gap: 2, samples: 4 }] })
    expect(summary).toMatchObject({
      mode: 'known-truth',
      decisionPoints: 4,
      comparableDecisions: 2,
      verdicts: { named: 1, namedJudged: 1, namedCorrect: 1, notDistinguishable: 0, notEnoughData: 2, noData: 1, heldBackJudged: 1 },
      regret: { decisions: 2, total: 1 },
      drift: [],
    })
    expect(summary.calibration.map((c) => c.scored)).toEqual([5, 5, 5, 5])
    expect(summary.coverageBySamples.map((b) => b.scored)).toEqual([4, 1, 0, 0, 0])
    // A gap of 2 is neither about 0.5 nor about 1.
    expect(summary.separation.map((s) => [s.gap, s.pairs, s.samples])).toEqual([[0.5, 0, []], [1, 0, []]])
  })

  it('judges by the grades that followed when the truth is unknown', () => {
    const { decisions, summary } = backtestRecommendations(RECORDS, { every: 3 })
    // Minute 3: A's next grades 5, 2, 5 (mean 4); B had no grades yet, so is not judged.
    // Minute 6: A's next 5, 2, 5 (4), B's next −1, 1, −1 (−0.33). Minute 9: fewer than 3 grades follow for either.
    expect(decisions.map((d) => d.intervals.map((i) => [i.setup, Number(i.value.toFixed(2))]))).toEqual([[], [['A', 4]], [['A', 4], ['B', -0.33]], []])
    expect(decisions[2]?.trueBest).toBe('A')
    expect(decisions[2]?.regret).toBeCloseTo((0 + (4 + 1 / 3)) / 2, 12)
    expect(summary).toMatchObject({ mode: 'realised', comparableDecisions: 1, regret: { decisions: 1 } })
  })

  it('neither learns from nor judges by grades that do not count (a script\'s, unvouched)', () => {
    const scripted = [4, 5, 6, 7, 8].map((m) => ({ v: 1 as const, id: `s${String(m)}`, setup: 'B', project: '/one', commit: `c${String(m)}`, at: minute(m, 45), by: 'user' as const, userGrade: 5 as const, channel: 'cli-script' as const }))
    const withScripted = { ...RECORDS, gradeEvents: [...RECORDS.gradeEvents, ...scripted] }
    expect(backtestRecommendations(withScripted, { every: 3 })).toEqual(backtestRecommendations(RECORDS, { every: 3 }))
    expect(backtestRecommendations(withScripted, { every: 3, truth: TRUTH })).toEqual(backtestRecommendations(RECORDS, { every: 3, truth: TRUTH }))
  })

  it('reports its progress after each decision point', () => {
    const calls: [number, number][] = []
    backtestRecommendations(RECORDS, { every: 3, truth: TRUTH, onDecision: (done, total) => calls.push([done, total]) })
    expect(calls).toEqual([[1, 4], [2, 4], [3, 4], [4, 4]])
  })

  it('refuses a horizon that judges nothing and an every that decides nowhere, naming what is accepted', () => {
    for (const horizon of [0, 2, 2.5]) {
      expect(() => backtestRecommendations(RECORDS, { horizon })).toThrow(`Invalid backtest horizon ${String(horizon)}: a whole number ≥ 3`)
    }
    expect(() => backtestRecommendations(RECORDS, { every: 0 })).toThrow('Invalid backtest every 0: a whole number ≥ 1')
    expect(backtestRecommendations(RECORDS, { horizon: 3 }).summary.decisionPoints).toBeGreaterThan(0)
  })

  it('replays nothing for projects without a profile', () => {
    const unprofiled = { ...RECORDS, projects: RECORDS.projects.map((p) => ({ v: p.v, path: p.path, name: p.name, firstSeenAt: p.firstSeenAt, lastSeenAt: p.lastSeenAt })) }
    expect(backtestRecommendations(unprofiled).summary.decisionPoints).toBe(0)
  })
})
