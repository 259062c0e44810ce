import { CONTENDER_CHANCE } from '../projects/recommend.js'
import { normalQuantile } from '../stats/normal.js'
import type { JudgedDecision } from './judge-decision.js'
import { CALIBRATION_LEVELS } from './judge-decision.js'
import type { KnownTruth } from './known-truth.js'
import { truthAt } from './known-truth.js'
import type { RecordTimeline } from './record-timeline.js'

/** Checked intervals and how many held the truth. */
export interface CoverageCount {
  readonly scored: number
  readonly covered: number
}

/** Coverage of the intervals of setups with a given number of graded commits. */
export interface SampleSizeCoverage extends CoverageCount {
  readonly label: string
  readonly min: number
  /** Inclusive; null for no upper bound. */
  readonly max: number | null
}

/** How long it took to tell apart setups whose true scores differ by about `gap`. */
export interface SeparationCount {
  readonly gap: number
  /** Pairs of the true best and another setup (per kind of project) whose true gap was within ±0.15 of `gap`, judged side by side. */
  readonly pairs: number
  /** For each pair told apart: the smaller graded-commit count of the two when the better was first named best. */
  readonly samples: readonly number[]
  /** Graded commits per setup after which the naming rule tells such a gap apart half the time, and 80% of the time, at the measured spread of grades. */
  readonly planned: { readonly even: number; readonly likely: number } | null
}

/** When the true best on a kind of project changed (drift), how soon the best bet followed. */
export interface DriftDetection {
  readonly kind: string
  readonly at: string
  readonly from: string
  readonly to: string
  /** Commits on projects of that kind from the change to the first decision naming the new best as best bet; null if it never did. */
  readonly commitsUntilSwitch: number | null
  /** Commits of the setup that changed, in the same span. */
  readonly changedSetupCommits: number | null
  /** Commits on that kind after the change, in all. */
  readonly commitsAfter: number
}

/** What a replay found, as counts that add up across replays (see {@link combineBacktests}). */
export interface BacktestSummary {
  readonly mode: 'known-truth' | 'realised'
  readonly decisionPoints: number
  /** Decisions with at least two setups judged: where a best and a regret are defined. */
  readonly comparableDecisions: number
  /** Per calibration level (50, 80, 90, 95%). */
  readonly calibration: readonly (CoverageCount & { readonly level: number })[]
  /** 90% intervals by the setup's graded commits. */
  readonly coverageBySamples: readonly SampleSizeCoverage[]
  readonly verdicts: {
    readonly named: number
    readonly namedCorrect: number
    readonly namedJudged: number
    readonly notDistinguishable: number
    readonly notEnoughData: number
    readonly noData: number
    /** Held-back verdicts (not distinguishable, not enough data) that could be judged, and those that were warranted. */
    readonly heldBackJudged: number
    readonly heldBackWarranted: number
  }
  readonly regret: { readonly decisions: number; readonly total: number }
  /** Decisions where the best bet was not the true best and an exploration was suggested; and where it named the true best. */
  readonly exploration: { readonly judged: number; readonly foundBest: number }
  readonly separation: readonly SeparationCount[]
  readonly drift: readonly DriftDetection[]
  /** Pooled spread of one grade within a setup and project; null with too few grades. */
  readonly spread: number | null
}

const BUCKETS: readonly { label: string; min: number; max: number | null }[] = [
  { label: '1–4', min: 1, max: 4 },
  { label: '5–9', min: 5, max: 9 },
  { label: '10–19', min: 10, max: 19 },
  { label: '20–49', min: 20, max: 49 },
  { label: '50+', min: 50, max: null },
]
const GAPS = [0.5, 1] as const
const GAP_TOLERANCE = 0.15
const NINETY = CALIBRATION_LEVELS.indexOf(0.9)

/** Adds up judged decisions into a summary. */
export function summariseBacktest(
  decisions: readonly JudgedDecision[],
  context: { mode: BacktestSummary['mode']; timeline: RecordTimeline; truth: KnownTruth | undefined; spread: number | null; bugWeight: number },
): BacktestSummary {
  const intervals = decisions.flatMap((d) => d.intervals)
  const count = (predicate: (d: JudgedDecision) => boolean): number => decisions.filter(predicate).length
  const regrets = decisions.flatMap((d) => (d.regret === null ? [] : [d.regret]))
  const explored = decisions.flatMap((d) => (d.exploreFoundBest === null ? [] : [d.exploreFoundBest]))
  return {
    mode: context.mode,
    decisionPoints: decisions.length,
    comparableDecisions: count((d) => d.trueBest !== null),
    calibration: CALIBRATION_LEVELS.map((level, index) => ({ level, scored: intervals.length, covered: intervals.filter((i) => i.hits[index] === true).length })),
    coverageBySamples: BUCKETS.map((bucket) => {
      const inside = intervals.filter((i) => i.samples >= bucket.min && (bucket.max === null || i.samples <= bucket.max))
      return { ...bucket, scored: inside.length, covered: inside.filter((i) => i.hits[NINETY] === true).length }
    }),
    verdicts: {
      named: count((d) => d.verdict === 'named'),
      namedJudged: count((d) => d.namedCorrect !== null),
      namedCorrect: count((d) => d.namedCorrect === true),
      notDistinguishable: count((d) => d.verdict === 'not-distinguishable'),
      notEnoughData: count((d) => d.verdict === 'not-enough-data'),
      noData: count((d) => d.verdict === 'no-data'),
      heldBackJudged: count((d) => d.warranted !== null),
      heldBackWarranted: count((d) => d.warranted === true),
    },
    regret: { decisions: regrets.length, total: regrets.reduce((sum, r) => sum + r, 0) },
    exploration: { judged: explored.length, foundBest: explored.filter(Boolean).length },
    separation: context.truth === undefined ? GAPS.map((gap) => ({ gap, pairs: 0, samples: [], planned: planned(gap, context.spread) })) : separations(decisions, context.truth, context.spread, context.bugWeight),
    drift: context.truth === undefined ? [] : driftDetections(decisions, context.timeline, context.truth, context.bugWeight),
    spread: context.spread,
  }
}

/** Graded commits per setup for the naming rule (P(challenger ≥ leader) < {@link CONTENDER_CHANCE}) to tell a gap apart half the time (even) and 80% of the time (likely). */
function planned(gap: number, spread: number | null): SeparationCount['planned'] {
  if (spread === null) return null
  const z = normalQuantile(1 - CONTENDER_CHANCE)
  return { even: Math.ceil(2 * (z * spread / gap) ** 2), likely: Math.ceil(2 * ((z + normalQuantile(0.8)) * spread / gap) ** 2) }
}

function separations(decisions: readonly JudgedDecision[], truth: KnownTruth, spread: number | null, bugWeight: number): SeparationCount[] {
  const seen = new Map<string, number>()
  const first = new Map<string, number>()
  for (const d of decisions) {
    const kind = truth.projects[d.project] ?? ''
    const scoreOf = (setup: string): number | undefined => {
      const outcome = truthAt(truth, setup, d.project, d.at)
      return outcome === undefined ? undefined : outcome.meanGrade - bugWeight * outcome.bugRate
    }
    const best = d.trueBest
    if (best === null) continue
    for (const other of d.candidates) {
      const gap = (scoreOf(best) ?? Number.NaN) - (scoreOf(other) ?? Number.NaN)
      const target = GAPS.find((g) => Math.abs(gap - g) <= GAP_TOLERANCE)
      if (target !== undefined) seen.set(`${String(target)}|${kind}|${best}|${other}`, target)
    }
    for (const s of d.separations) {
      const target = GAPS.find((g) => Math.abs(s.gap - g) <= GAP_TOLERANCE)
      const key = `${String(target)}|${kind}|${s.better}|${s.worse}`
      if (target !== undefined && !first.has(key)) first.set(key, s.samples)
    }
  }
  return GAPS.map((gap) => ({
    gap,
    pairs: [...seen.values()].filter((g) => g === gap).length,
    samples: [...first].filter(([key]) => key.startsWith(`${String(gap)}|`)).map(([, samples]) => samples),
    planned: planned(gap, spread),
  }))
}

function driftDetections(decisions: readonly JudgedDecision[], timeline: RecordTimeline, truth: KnownTruth, bugWeight: number): DriftDetection[] {
  const kinds = [...new Set(truth.outcomes.map((s) => s.kind))]
  const found: DriftDetection[] = []
  for (const kind of kinds) {
    const segments = truth.outcomes.filter((s) => s.kind === kind)
    const changes = [...new Set(segments.map((s) => s.from))].sort().slice(1)
    const project = Object.entries(truth.projects).find(([, k]) => k === kind)?.[0]
    if (project === undefined) continue
    const bestAt = (at: string, before: boolean): string | undefined => {
      let best: string | undefined
      let bestScore = -Infinity
      for (const setup of new Set(segments.map((s) => s.setup))) {
        const outcome = truthAt(truth, setup, project, before ? justBefore(at) : at)
        if (outcome === undefined) continue
        const score = outcome.meanGrade - bugWeight * outcome.bugRate
        if (score > bestScore) {
          bestScore = score
          best = setup
        }
      }
      return best
    }
    for (const at of changes) {
      const from = bestAt(at, true)
      const to = bestAt(at, false)
      if (from === undefined || to === undefined || from === to) continue
      const onKind = timeline.commits.filter((c) => truth.projects[c.project] === kind && c.at >= at)
      const switched = decisions.find((d) => d.at >= at && truth.projects[d.project] === kind && d.pick === to)
      const changed = segments.find((s) => s.from === at)?.setup
      found.push({
        kind,
        at,
        from,
        to,
        commitsUntilSwitch: switched === undefined ? null : onKind.filter((c) => c.at < switched.at).length,
        changedSetupCommits: switched === undefined ? null : onKind.filter((c) => c.at < switched.at && c.setup === changed).length,
        commitsAfter: onKind.length,
      })
    }
  }
  return found
}

function justBefore(at: string): string {
  return new Date(Date.parse(at) - 1).toISOString()
}

/** Adds up the summaries of several replays (e.g. one scenario over many seeds). */
export function combineBacktests(summaries: readonly BacktestSummary[]): BacktestSummary {
  const sum = (pick: (s: BacktestSummary) => number): number => summaries.reduce((total, s) => total + pick(s), 0)
  const first = summaries[0]
  return {
    mode: first?.mode ?? 'known-truth',
    decisionPoints: sum((s) => s.decisionPoints),
    comparableDecisions: sum((s) => s.comparableDecisions),
    calibration: CALIBRATION_LEVELS.map((level, index) => ({ level, scored: sum((s) => s.calibration[index]?.scored ?? 0), covered: sum((s) => s.calibration[index]?.covered ?? 0) })),
    coverageBySamples: BUCKETS.map((bucket, index) => ({ ...bucket, scored: sum((s) => s.coverageBySamples[index]?.scored ?? 0), covered: sum((s) => s.coverageBySamples[index]?.covered ?? 0) })),
    verdicts: {
      named: sum((s) => s.verdicts.named),
      namedJudged: sum((s) => s.verdicts.namedJudged),
      namedCorrect: sum((s) => s.verdicts.namedCorrect),
      notDistinguishable: sum((s) => s.verdicts.notDistinguishable),
      notEnoughData: sum((s) => s.verdicts.notEnoughData),
      noData: sum((s) => s.verdicts.noData),
      heldBackJudged: sum((s) => s.verdicts.heldBackJudged),
      heldBackWarranted: sum((s) => s.verdicts.heldBackWarranted),
    },
    regret: { decisions: sum((s) => s.regret.decisions), total: sum((s) => s.regret.total) },
    exploration: { judged: sum((s) => s.exploration.judged), foundBest: sum((s) => s.exploration.foundBest) },
    separation: GAPS.map((gap, index) => {
      const spreads = summaries.flatMap((s) => (s.spread === null ? [] : [s.spread]))
      const spread = spreads.length === 0 ? null : spreads.reduce((a, b) => a + b, 0) / spreads.length
      return { gap, pairs: sum((s) => s.separation[index]?.pairs ?? 0), samples: summaries.flatMap((s) => s.separation[index]?.samples ?? []), planned: planned(gap, spread) }
    }),
    drift: summaries.flatMap((s) => s.drift),
    spread: (() => {
      const spreads = summaries.flatMap((s) => (s.spread === null ? [] : [s.spread]))
      return spreads.length === 0 ? null : spreads.reduce((a, b) => a + b, 0) / spreads.length
    })(),
  }
}
