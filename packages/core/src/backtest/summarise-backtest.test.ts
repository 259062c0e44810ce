import { describe, expect, it } from 'vitest'
import type { RecordsOneByOne } from '../projects/recommend.js'
import { backtestFigures, median } from './backtest-figures.js'
import type { JudgedDecision } from './judge-decision.js'
import type { KnownTruth } from './known-truth.js'
import { recordTimeline } from './record-timeline.js'
import { combineBacktests, summariseBacktest } from './summarise-backtest.js'

const at = (day: number): string => `2026-01-${String(day).padStart(2, '0')}T12:00:00.000Z`

function decision(day: number, pick: string | null, extra: Partial<JudgedDecision> = {}): JudgedDecision {
  return {
    project: '/web', at: at(day), state: 'ranked', verdict: 'named', pick, contenders: pick === null ? [] : [pick], explore: null, candidates: ['A', 'B'],
    trueBest: 'A', namedCorrect: true, regret: 0, warranted: null, exploreFoundBest: null, intervals: [], separations: [], ...extra,
  }
}

/** A drops below B on day 10; one commit a day on /web, alternating A and B. */
const TRUTH: KnownTruth = {
  projects: { '/web': 'web-app' },
  outcomes: [
    { setup: 'A', kind: 'web-app', from: at(1), meanGrade: 3, bugRate: 0 },
    { setup: 'A', kind: 'web-app', from: '2026-01-10T00:00:00.000Z', meanGrade: 1, bugRate: 0 },
    { setup: 'B', kind: 'web-app', from: at(1), meanGrade: 2, bugRate: 0 },
  ],
}
const RECORDS: RecordsOneByOne = {
  projects: [],
  commits: Array.from({ length: 20 }, (_, index) => ({ setup: index % 2 === 0 ? 'A' : 'B', project: '/web', hash: `c${String(index)}`, at: at(index + 1) })),
  gradeEvents: [],
  bugs: [],
  usage: [],
}

describe('summariseBacktest', () => {
  it('measures a drift by the commits from the change to the first decision whose best bet is the new best', () => {
    const decisions = [decision(5, 'A'), decision(11, 'A', { namedCorrect: false }), decision(14, 'B', { trueBest: 'B' }), decision(18, 'B', { trueBest: 'B' })]
    const summary = summariseBacktest(decisions, { mode: 'known-truth', timeline: recordTimeline(RECORDS), truth: TRUTH, spread: 1.7, bugWeight: 2 })
    // Commits on days 10–13 come after the change and before the switch on day 14; A made those of days 11 and 13.
    expect(summary.drift).toEqual([{ kind: 'web-app', at: '2026-01-10T00:00:00.000Z', from: 'A', to: 'B', commitsUntilSwitch: 4, changedSetupCommits: 2, commitsAfter: 11 }])
    expect(backtestFigures(summary)).toMatchObject({ winnerPrecision: 0.75, noWinnerRate: 0, regret: 0, driftDelays: [4] })
  })

  it('adds up replays, and plans separations from the spread of grades', () => {
    const summary = summariseBacktest([decision(5, 'A'), decision(6, null, { verdict: 'not-enough-data', state: 'not-enough-data', namedCorrect: null, regret: 0.5, warranted: true })], { mode: 'realised', timeline: recordTimeline(RECORDS), truth: undefined, spread: 1.7, bugWeight: 2 })
    const both = combineBacktests([summary, summary])
    expect(both.decisionPoints).toBe(4)
    expect(both.verdicts).toMatchObject({ named: 2, notEnoughData: 2, heldBackJudged: 2, heldBackWarranted: 2 })
    expect(both.regret).toEqual({ decisions: 4, total: 1 })
    // 2 × (1.96 × 1.7 / 0.5)² = 88.8 → 89; with 80% power, 2 × ((1.96 + 0.842) × 1.7 / 0.5)² = 181.5 → 182.
    expect(both.separation.map((s) => s.planned)).toEqual([{ even: 89, likely: 182 }, { even: 23, likely: 46 }])
    expect(backtestFigures(both)).toMatchObject({ noWinnerRate: 0.5, heldBackWarranted: 1, regret: 0.25 })
  })

  it('takes medians of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNull()
  })
})
