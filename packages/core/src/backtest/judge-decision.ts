import type { Recommendation, SetupRecommendation } from '../projects/recommend.js'
import { CONTENDER_CHANCE } from '../projects/recommend.js'
import { normalQuantile } from '../stats/normal.js'
import { compareText } from '../text/compare-text.js'

/** Interval levels every decision's intervals are checked at (the 90% one is the one `recommend` shows). */
export const CALIBRATION_LEVELS: readonly number[] = [0.5, 0.8, 0.9, 0.95]

/** What a setup turned out to be worth at a decision: the truth, or what was realised after it. */
export interface JudgedOutcome {
  /** The expected grade an interval should hold (truth), or the mean of the grades that followed (realised). */
  readonly grade: number
  /** grade − bugWeight × bug rate, comparable with the recommendation's scores. */
  readonly score: number
  /** Realised outcomes only: how many grades the mean is of (their noise widens the interval checked). */
  readonly realisedGrades?: number
}

/** One setup's intervals at a decision, checked against its outcome. */
export interface JudgedInterval {
  readonly setup: string
  /** Its graded commits on similar projects then. */
  readonly samples: number
  readonly value: number
  /** Per {@link CALIBRATION_LEVELS}: whether the interval held the value. */
  readonly hits: readonly boolean[]
}

/** Two setups the recommendation told apart: the better named best, the worse excluded. */
export interface Separation {
  readonly better: string
  readonly worse: string
  /** True score difference. */
  readonly gap: number
  /** The smaller of the two setups' graded commits at the time. */
  readonly samples: number
}

/** How `recommend` answered at one decision point, and how that held up. */
export interface JudgedDecision {
  readonly project: string
  readonly at: string
  readonly state: Recommendation['state']
  /** named: one clear best; not-distinguishable: several contenders; not-enough-data and no-data as `recommend` says. */
  readonly verdict: 'named' | 'not-distinguishable' | 'not-enough-data' | 'no-data'
  /** The top-ranked setup (the best bet), or null when none is ranked. */
  readonly pick: string | null
  readonly contenders: readonly string[]
  readonly explore: string | null
  /** Setups with grades then and a known outcome: the ones judged. */
  readonly candidates: readonly string[]
  readonly trueBest: string | null
  /** For a named best: whether it was the true best. */
  readonly namedCorrect: boolean | null
  /** Score lost against the true best; without a pick, the mean loss of a guess among the candidates. */
  readonly regret: number | null
  /** For not-distinguishable and not-enough-data: whether holding back was warranted (see docs/recommendation.md). */
  readonly warranted: boolean | null
  /** Whether the exploration suggestion was the true best while the best bet was not. */
  readonly exploreFoundBest: boolean | null
  readonly intervals: readonly JudgedInterval[]
  readonly separations: readonly Separation[]
}

/** The naming rule's test: a challenger with less than this chance of doing as well is told apart. */
const Z_NINETY = normalQuantile(0.95)
const Z_HOLD_BACK = normalQuantile(1 - CONTENDER_CHANCE)

/**
 * Judges one recommendation against the outcomes of its setups (truth or realised; setups without
 * one are left out): the intervals at each calibration level, whether a named best was the true
 * best, the regret of the best bet, and whether holding back was warranted — it is when the
 * leader was not the true best, or when the true gap to the runner-up is under z standard
 * deviations of their difference, z the naming rule's (1.96), so that the rule would more often
 * hold back there too.
 */
export function judgeDecision(
  recommendation: Recommendation,
  outcomes: ReadonlyMap<string, JudgedOutcome>,
  where: { project: string; at: string },
): JudgedDecision {
  const bySetup = new Map(recommendation.setups.map((s) => [s.setup, s]))
  const graded = recommendation.setups.filter((s) => s.samples > 0 && outcomes.has(s.setup))
  const candidates = graded.map((s) => s.setup)
  const score = (setup: string): number => outcomes.get(setup)?.score ?? -Infinity
  const best = graded.length === 0 ? undefined : graded.reduce((a, b) => (score(b.setup) > score(a.setup) ? b : a))
  const bestScore = best === undefined ? undefined : score(best.setup)
  const pick = recommendation.setups.find((s) => s.rank === 1)?.setup ?? null
  const named = recommendation.state === 'ranked' && recommendation.contenders.length === 1 ? pick : null
  const verdict = recommendation.state !== 'ranked' ? recommendation.state : named === null ? 'not-distinguishable' : 'named'
  const comparable = graded.length >= 2 && bestScore !== undefined

  const regret = !comparable
    ? null
    : pick !== null && outcomes.has(pick)
      ? bestScore - score(pick)
      : pick === null ? graded.reduce((sum, s) => sum + bestScore - score(s.setup), 0) / graded.length : null
  const heldBackAmong = verdict === 'not-distinguishable' ? graded.filter((s) => recommendation.contenders.includes(s.setup)) : verdict === 'not-enough-data' ? graded : []
  const warranted = comparable && heldBackAmong.length > 0 ? holdingBackWarranted(heldBackAmong, pick ?? leaderOf(heldBackAmong), score) : null

  return {
    ...where,
    state: recommendation.state,
    verdict,
    pick,
    contenders: recommendation.contenders,
    explore: recommendation.explore?.setup ?? null,
    candidates,
    trueBest: comparable ? best?.setup ?? null : null,
    namedCorrect: named === null || !comparable || !outcomes.has(named) ? null : score(named) >= bestScore - 1e-9,
    regret,
    warranted,
    exploreFoundBest: recommendation.explore === null || !comparable || pick === best?.setup ? null : recommendation.explore.setup === best?.setup,
    intervals: graded.map((s) => judgeInterval(s, outcomes.get(s.setup))),
    separations: named === null || !comparable || score(named) < bestScore - 1e-9
      ? []
      : graded.filter((s) => s.setup !== named).map((s) => ({ better: named, worse: s.setup, gap: score(named) - score(s.setup), samples: Math.min(s.samples, bySetup.get(named)?.samples ?? 0) })),
  }
}

function leaderOf(setups: readonly SetupRecommendation[]): string {
  return [...setups].sort((a, b) => b.score - a.score || compareText(a.setup, b.setup))[0]?.setup ?? ''
}

function holdingBackWarranted(among: readonly SetupRecommendation[], leader: string, score: (setup: string) => number): boolean {
  const trueBest = among.reduce((a, b) => (score(b.setup) > score(a.setup) ? b : a))
  if (trueBest.setup !== leader) return true
  const others = among.filter((s) => s.setup !== leader)
  if (others.length === 0) return false
  const runnerUp = others.reduce((a, b) => (score(b.setup) > score(a.setup) ? b : a))
  const sd = (s: SetupRecommendation): number => (s.interval[1] - s.interval[0]) / (2 * Z_NINETY)
  return score(leader) - score(runnerUp.setup) < Z_HOLD_BACK * Math.hypot(sd(trueBest), sd(runnerUp))
}

/** Checks a setup's intervals; for a realised mean of m grades each is widened by that mean's own noise (σ/√m). */
function judgeInterval(s: SetupRecommendation, outcome: JudgedOutcome | undefined): JudgedInterval {
  const value = outcome?.grade ?? Number.NaN
  const m = outcome?.realisedGrades
  const intervals = s.intervals ?? [{ level: 0.9, low: s.interval[0], high: s.interval[1] }]
  const hits = CALIBRATION_LEVELS.map((level) => {
    const found = intervals.find((i) => Math.abs(i.level - level) < 1e-9)
    if (found === undefined) return false
    if (m === undefined) return found.low <= value && value <= found.high
    const z = normalQuantile((1 + level) / 2)
    const noise = (z * s.gradeSpread) ** 2 / m
    const low = s.expectedGrade - Math.sqrt((s.expectedGrade - found.low) ** 2 + noise)
    const high = s.expectedGrade + Math.sqrt((found.high - s.expectedGrade) ** 2 + noise)
    return low <= value && value <= high
  })
  return { setup: s.setup, samples: s.samples, value, hits }
}
