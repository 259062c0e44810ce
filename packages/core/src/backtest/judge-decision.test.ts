import { describe, expect, it } from 'vitest'
import type { Recommendation, SetupRecommendation } from '../projects/recommend.js'
import type { JudgedOutcome } from './judge-decision.js'
import { CALIBRATION_LEVELS, judgeDecision } from './judge-decision.js'

const PROFILE = { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: [], sources: [], fingerprint: 'x', profiledAt: '2026-01-01T00:00:00.000Z' }
const WHERE = { project: '/p', at: '2026-02-01T00:00:00.000Z' }

/** A setup whose intervals at every calibration level are `width` × (level's share of the 90% one) around `centre`. */
function setup(name: string, rank: number | null, samples: number, centre: number, halfWidth: number, score = centre): SetupRecommendation {
  return {
    setup: name, rank, enoughData: rank !== null, projects: 1, commits: samples, samples, evidence: null, effectiveSamples: samples, meanUserGrade: centre, expectedGrade: centre,
    interval: [centre - halfWidth, centre + halfWidth],
    intervals: CALIBRATION_LEVELS.map((level) => ({ level, low: centre - halfWidth * level / 0.9, high: centre + halfWidth * level / 0.9 })),
    gradeSpread: 1.7, bugsPerCommit: 0, costPerCommit: null, costEstimated: false, score, chanceBest: 0.5, reason: '',
  }
}

function recommendation(setups: SetupRecommendation[], contenders: string[], explore: string | null = null): Recommendation {
  const state = setups.some((s) => s.rank !== null) ? 'ranked' : setups.length > 0 ? 'not-enough-data' : 'no-data'
  return { state, profile: PROFILE, similarProjects: [], setups, contenders, explore: explore === null ? null : { setup: explore, chanceBest: 0.3, samples: 3, reason: '' }, message: '' }
}

const outcomes = (entries: Record<string, [grade: number, score: number, realised?: number]>): Map<string, JudgedOutcome> =>
  new Map(Object.entries(entries).map(([name, [grade, score, realised]]) => [name, { grade, score, ...(realised === undefined ? {} : { realisedGrades: realised }) }]))

describe('judgeDecision', () => {
  it('scores a named best that was the true best: no regret, a separation, intervals checked at every level', () => {
    const judged = judgeDecision(recommendation([setup('A', 1, 10, 2.5, 0.5), setup('B', 2, 8, 1.5, 0.5)], ['A']), outcomes({ A: [2.5, 2.4], B: [1.2, 1.0] }), WHERE)
    expect(judged).toMatchObject({ verdict: 'named', pick: 'A', trueBest: 'A', namedCorrect: true, regret: 0, warranted: null, candidates: ['A', 'B'] })
    expect(judged.separations).toEqual([{ better: 'A', worse: 'B', gap: 2.4 - 1.0, samples: 8 }])
    // B's truth 1.2 lies 0.3 below its centre: outside the 50% interval (±0.28), inside the 80% one (±0.44).
    expect(judged.intervals).toEqual([
      { setup: 'A', samples: 10, value: 2.5, hits: [true, true, true, true] },
      { setup: 'B', samples: 8, value: 1.2, hits: [false, true, true, true] },
    ])
  })

  it('scores a named best that was not: the regret is the score lost, and no separation counts', () => {
    const judged = judgeDecision(recommendation([setup('A', 1, 10, 2.5, 0.3), setup('B', 2, 8, 1.5, 0.3)], ['A']), outcomes({ A: [1.5, 1.4], B: [2.5, 2.2] }), WHERE)
    expect(judged).toMatchObject({ verdict: 'named', namedCorrect: false, trueBest: 'B', separations: [] })
    expect(judged.regret).toBeCloseTo(0.8, 12)
    expect(judged.intervals.map((i) => i.hits[2])).toEqual([false, false])
  })

  it('calls holding back warranted when the leader was wrong, or the true gap was within the noise, and not when it was clear', () => {
    const twoContenders = (truthA: number, truthB: number) => judgeDecision(
      recommendation([setup('A', 1, 20, 2.6, 0.6), setup('B', 2, 20, 2.4, 0.6)], ['A', 'B']),
      outcomes({ A: [truthA, truthA], B: [truthB, truthB] }), WHERE)
    // sd of each from its 90% half-width 0.6: 0.6 / 1.645 = 0.365; of the difference 0.516; 1.96 × 0.516 = 1.01.
    expect(twoContenders(2.0, 2.9)).toMatchObject({ verdict: 'not-distinguishable', warranted: true })
    expect(twoContenders(2.0, 2.9).regret).toBeCloseTo(0.9, 12)
    expect(twoContenders(2.6, 2.0)).toMatchObject({ warranted: true, regret: 0 })
    expect(twoContenders(2.6, 1.7)).toMatchObject({ warranted: true, regret: 0 })
    expect(twoContenders(3.1, 2.0)).toMatchObject({ warranted: false, regret: 0 })
  })

  it('charges a guess among the candidates when nothing is ranked', () => {
    const judged = judgeDecision(recommendation([setup('A', null, 3, 2, 1), setup('B', null, 2, 1, 1)], []), outcomes({ A: [3, 3], B: [1, 1] }), WHERE)
    expect(judged).toMatchObject({ verdict: 'not-enough-data', pick: null, regret: 1, namedCorrect: null })
  })

  it('leaves out setups without a known outcome, and needs two to compare', () => {
    const judged = judgeDecision(recommendation([setup('A', 1, 10, 2.5, 0.5), setup('B', 2, 8, 1.5, 0.5)], ['A']), outcomes({ A: [2.5, 2.4] }), WHERE)
    expect(judged).toMatchObject({ candidates: ['A'], trueBest: null, namedCorrect: null, regret: null })
    expect(judged.intervals).toHaveLength(1)
  })

  it('widens an interval by the noise of a realised mean before checking it', () => {
    // 90%: √(0.5² + (1.645 × 1.7)² / 20) = 0.80 each side of 2.5.
    const rec = recommendation([setup('A', 1, 10, 2.5, 0.5), setup('B', 2, 8, 1.5, 0.5)], ['A'])
    expect(judgeDecision(rec, outcomes({ A: [3.25, 3.25, 20], B: [1.5, 1.5, 20] }), WHERE).intervals[0]?.hits[2]).toBe(true)
    expect(judgeDecision(rec, outcomes({ A: [3.25, 3.25], B: [1.5, 1.5] }), WHERE).intervals[0]?.hits[2]).toBe(false)
  })

  it('records whether the suggested trial was the true best when the best bet was not', () => {
    const rec = recommendation([setup('A', 1, 10, 2.5, 0.5), setup('B', null, 3, 2.0, 1.5)], ['A', 'B'], 'B')
    expect(judgeDecision(rec, outcomes({ A: [2.0, 2.0], B: [3.0, 3.0] }), WHERE).exploreFoundBest).toBe(true)
    expect(judgeDecision(rec, outcomes({ A: [3.0, 3.0], B: [2.0, 2.0] }), WHERE).exploreFoundBest).toBeNull()
  })
})
