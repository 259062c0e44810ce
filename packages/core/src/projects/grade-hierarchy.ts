import type { RunHypothesis, TimedGrade } from './change-point.js'
import { currentLevel } from './change-point.js'
import type { SetupEvidence } from './grade-model.js'

/** The spread of grades assumed before any are seen (grades run from −1 to 5). */
export const PRIOR_GRADE_SPREAD = 1.7
/** Pseudo-observations behind {@link PRIOR_GRADE_SPREAD} and behind the pooled spread in each setup's own. */
const SPREAD_PRIOR_DF = 4
/** Scale of the half-normal prior on τ, the spread of setups' expected grades around their common mean. */
export const TAU_PRIOR_SCALE = 2
const TAU_GRID = Array.from({ length: 20 }, (_, index) => (index + 0.5) * 0.2)
/** Prior standard deviation of δ, the offset between user grades and git evidence's pseudo-grades, before any setup has both. */
export const EVIDENCE_OFFSET_PRIOR_SD = 1
/** Used only when no setup has a single grade: a prior over the whole grade scale. */
const FALLBACK = { mean: 1.5, sd: 1.5 }
/** Prior standard deviation of a setup's new level after a change, around the setups' overall mean. */
const NEW_LEVEL_SD = 1.5
/** Run hypotheses kept per setup (the most probable; the rest are negligible or alike). */
const LEVELS_KEPT = 6

/** One hypothesis of a setup's current level: its weighted mean and the variance of that mean (inflated for an estimated σ). */
export interface LevelSummary {
  readonly start: number
  readonly probability: number
  /** null: no grades — the level is the setups' common mean. */
  readonly mean: number | null
  readonly v: number
}

/** A setup's summary: spread of one grade, levels, and how relevant a time is to its current level. */
export interface SetupSummary {
  readonly setup: string
  /** Effective number of grades behind its current level (moment-matched over the levels). */
  readonly n: number
  /** Moment-matched mean and variance of its current level; null without grades. */
  readonly mean: number | null
  readonly v: number
  readonly spread: number
  readonly levels: readonly LevelSummary[]
  readonly relevance: (at: string) => number
  /** The share of its current level's precision that came from git evidence (0 without any; 1 with evidence alone). */
  readonly evidenceShare: number
}

/** How git evidence enters the model: a pseudo-grade's worth as a share of one grade, and the floor of its standard error. */
export interface EvidenceTuning {
  readonly weight: number
  readonly biasSd: number
}

/** One point of the τ grid: its posterior weight and μ's conditional posterior there. */
export interface GridPoint {
  readonly tau: number
  readonly weight: number
  readonly mu: number
  readonly muVariance: number
}

/**
 * Each setup's spread (its own, pooled with every setup's and a prior of {@link PRIOR_GRADE_SPREAD}),
 * then its current level by change-point detection, kept as its most probable run hypotheses.
 */
export function summariseSetups(evidence: readonly SetupEvidence[], hazard: number, tuning?: EvidenceTuning): SetupSummary[] {
  const own = evidence.map((e) => {
    let total = 0
    let weightSquares = 0
    let sum = 0
    let squares = 0
    for (const batch of e.grades) {
      total += batch.weight
      weightSquares += batch.weightSquares
      sum += batch.sum
      squares += batch.squares
    }
    if (total <= 0) return { e, n: 0, mean: null, variance: null }
    const n = total ** 2 / weightSquares
    const mean = sum / total
    // Σw(g − x̄)² / Σw = Σw·g² / Σw − x̄² (never below 0, whatever the rounding).
    const variance = n <= 1 ? null : Math.max(squares / total - mean ** 2, 0) * (n / (n - 1))
    return { e, n, mean, variance }
  })
  const pooledDf = own.reduce((sum, s) => sum + (s.variance === null ? 0 : s.n - 1), 0)
  const pooledSquares = own.reduce((sum, s) => sum + (s.variance === null ? 0 : (s.n - 1) * s.variance), 0)
  const reference = (SPREAD_PRIOR_DF * PRIOR_GRADE_SPREAD ** 2 + pooledSquares) / (SPREAD_PRIOR_DF + pooledDf)
  const graded = own.filter((s) => s.mean !== null)
  const overall = graded.length === 0 ? FALLBACK.mean : graded.reduce((sum, s) => sum + s.mean * s.n, 0) / graded.reduce((sum, s) => sum + s.n, 0)
  const summaries = own.map(({ e, n, mean, variance }): SetupSummary => {
    const spread = Math.max(Math.sqrt(variance === null ? reference : (SPREAD_PRIOR_DF * reference + (n - 1) * variance) / (SPREAD_PRIOR_DF + n - 1)), 0.5)
    if (mean === null) return { setup: e.setup, n: 0, mean: null, v: Infinity, spread, levels: [{ start: 0, probability: 1, mean: null, v: Infinity }], relevance: () => 1, evidenceShare: 0 }
    const level = currentLevel(e.grades, { hazard, spread, prior: { mean: overall, sd: NEW_LEVEL_SD } })
    const levels = keepLikeliest(level.runs).map((run) => ({ start: run.start, probability: run.probability, mean: run.mean, v: inflated(run.variance, spread) }))
    return summaryOf(e.setup, spread, levels, level.relevance, 0, spread ** 2 / level.variance)
  })
  if (tuning === undefined || tuning.weight <= 0) return summaries
  return withGitEvidence(summaries, evidence, tuning)
}

/**
 * Adds each setup's git evidence to its current level as one more, weaker observation of it.
 * A setup's evidence is the weighted mean of its pseudo-grades (n the effective number of commits
 * with evidence, each weighted by similarity and by how relevant its time is to the current
 * level), shifted by δ, the offset between user grades and pseudo-grades, learnt from the other
 * setups that have both (a normal prior N(0, {@link EVIDENCE_OFFSET_PRIOR_SD}²); leaving the setup
 * itself out, so that its own grades are not counted twice). Its variance is σ²/(weight × n) +
 * biasSd² + Var(δ): how survival and suspected bugs map onto user grades is a model, not a
 * measurement, so evidence alone never gives a tight interval.
 */
function withGitEvidence(summaries: readonly SetupSummary[], evidence: readonly SetupEvidence[], tuning: EvidenceTuning): SetupSummary[] {
  const git = summaries.map((s, index) => {
    const g = weightedMean(evidence[index]?.gitEvidence ?? [], s.relevance)
    return g === null ? null : { ...g, v: s.spread ** 2 / (tuning.weight * g.n) + tuning.biasSd ** 2 }
  })
  // Each setup with grades and evidence observes δ as (its level − its evidence), with variance v + v_e.
  const offsets = summaries.map((s, index) => {
    const g = git[index]
    return g === null || g === undefined || s.mean === null ? null : { precision: 1 / (s.v + g.v), value: s.mean - g.mean }
  })
  const prior = 1 / EVIDENCE_OFFSET_PRIOR_SD ** 2
  const precision = offsets.reduce((sum, o) => sum + (o?.precision ?? 0), prior)
  const weighted = offsets.reduce((sum, o) => sum + (o === null ? 0 : o.precision * o.value), 0)
  return summaries.map((s, index) => {
    const g = git[index]
    if (g === null || g === undefined) return s
    const own = offsets[index]
    const othersPrecision = precision - (own?.precision ?? 0)
    const delta = (weighted - (own === null || own === undefined ? 0 : own.precision * own.value)) / othersPrecision
    const observed = g.mean + delta
    const ve = g.v + 1 / othersPrecision
    const levels = s.levels.map((level) => {
      if (level.mean === null) return { ...level, mean: observed, v: ve }
      const precision = 1 / level.v + 1 / ve
      return { ...level, mean: (level.mean / level.v + observed / ve) / precision, v: 1 / precision }
    })
    return summaryOf(s.setup, s.spread, levels, s.relevance, s.mean === null ? 1 : (1 / ve) / (1 / s.v + 1 / ve))
  })
}

/** The weighted mean of pseudo-grades and their effective number (Σw)²/Σw²; null without any. */
function weightedMean(grades: readonly TimedGrade[], relevance: (at: string) => number): { mean: number; n: number } | null {
  let total = 0
  let squares = 0
  let sum = 0
  for (const g of grades) {
    const w = g.weight * relevance(g.at)
    total += w
    squares += w * w
    sum += w * g.grade
  }
  return total <= 0 ? null : { mean: sum / total, n: total ** 2 / squares }
}

/** A setup's summary from its level hypotheses, moment-matched; `n` defaults to σ² over the level's variance. */
function summaryOf(setup: string, spread: number, levels: readonly LevelSummary[], relevance: (at: string) => number, evidenceShare: number, n?: number): SetupSummary {
  const mean = levels.reduce((sum, l) => sum + l.probability * (l.mean ?? 0), 0)
  const v = levels.reduce((sum, l) => sum + l.probability * (l.v + ((l.mean ?? 0) - mean) ** 2), 0)
  return { setup, n: n ?? spread ** 2 / v, mean, v, spread, levels, relevance, evidenceShare }
}

/** The variance of a mean of n = σ²/v grades, × ν/(ν − 2) with ν = n + {@link SPREAD_PRIOR_DF} − 1: a t's variance, as σ is estimated. */
function inflated(variance: number, spread: number): number {
  const df = SPREAD_PRIOR_DF + Math.max(spread ** 2 / variance - 1, 0)
  return variance * (df / (df - 2))
}

function keepLikeliest(runs: readonly RunHypothesis[]): RunHypothesis[] {
  const kept = [...runs].sort((a, b) => b.probability - a.probability).slice(0, LEVELS_KEPT)
  const total = kept.reduce((sum, run) => sum + run.probability, 0)
  return kept.map((run) => ({ ...run, probability: run.probability / total }))
}

/** p(τ | data) on the grid, with μ's conditional posterior at each point (Gelman et al., Bayesian Data Analysis §5.4). */
export function tauPosterior(observed: readonly SetupSummary[]): GridPoint[] {
  if (observed.length === 0) return [{ tau: FALLBACK.sd, weight: 1, mu: FALLBACK.mean, muVariance: 0 }]
  const points = TAU_GRID.map((tau) => {
    const precisions = observed.map((s) => 1 / (s.v + tau ** 2))
    const precision = precisions.reduce((sum, p) => sum + p, 0)
    const mu = observed.reduce((sum, s, index) => sum + (precisions[index] ?? 0) * (s.mean ?? 0), 0) / precision
    const logLikelihood = observed.reduce((sum, s, index) => {
      const p = precisions[index] ?? 0
      return sum + 0.5 * Math.log(p) - 0.5 * p * ((s.mean ?? 0) - mu) ** 2
    }, -0.5 * Math.log(precision) - tau ** 2 / (2 * TAU_PRIOR_SCALE ** 2))
    return { tau, logLikelihood, mu, muVariance: 1 / precision }
  })
  const top = Math.max(...points.map((p) => p.logLikelihood))
  const raw = points.map((p) => Math.exp(p.logLikelihood - top))
  const total = raw.reduce((sum, w) => sum + w, 0)
  return points.map((p, index) => ({ tau: p.tau, weight: (raw[index] ?? 0) / total, mu: p.mu, muVariance: p.muVariance }))
}

/**
 * θ given one level hypothesis and τ (μ integrated out): mean, variance, the shrinkage factor
 * B = v/(v + τ²), and `own` = v(1 − B), the variance not shared with the other setups through μ.
 */
export function conditionalLevel(level: LevelSummary, g: GridPoint): { mean: number; variance: number; shrink: number; own: number } {
  if (level.mean === null) return { mean: g.mu, variance: g.tau ** 2 + g.muVariance, shrink: 1, own: g.tau ** 2 }
  const shrink = level.v / (level.v + g.tau ** 2)
  const own = level.v * (1 - shrink)
  return { mean: (1 - shrink) * level.mean + shrink * g.mu, variance: own + shrink ** 2 * g.muVariance, shrink, own }
}
