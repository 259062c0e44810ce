import type { RunHypothesis } from './change-point.js'
import { currentLevel } from './change-point.js'
import type { SetupEvidence } from './grade-model.js'

/** The spread of grades assumed before any are seen (grades run from −1 to 5). */
export const PRIOR_GRADE_SPREAD = 1.7
/** Pseudo-observations behind {@link PRIOR_GRADE_SPREAD} and behind the pooled spread in each setup's own. */
const SPREAD_PRIOR_DF = 4
/** Scale of the half-normal prior on τ, the spread of setups' expected grades around their common mean. */
export const TAU_PRIOR_SCALE = 2
const TAU_GRID = Array.from({ length: 20 }, (_, index) => (index + 0.5) * 0.2)
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
export function summariseSetups(evidence: readonly SetupEvidence[], hazard: number): SetupSummary[] {
  const own = evidence.map((e) => {
    const total = e.grades.reduce((sum, g) => sum + g.weight, 0)
    const squares = e.grades.reduce((sum, g) => sum + g.weight ** 2, 0)
    if (total <= 0) return { e, n: 0, mean: null, variance: null }
    const n = total ** 2 / squares
    const mean = e.grades.reduce((sum, g) => sum + g.weight * g.grade, 0) / total
    const variance = n <= 1 ? null : (e.grades.reduce((sum, g) => sum + g.weight * (g.grade - mean) ** 2, 0) / total) * (n / (n - 1))
    return { e, n, mean, variance }
  })
  const pooledDf = own.reduce((sum, s) => sum + (s.variance === null ? 0 : s.n - 1), 0)
  const pooledSquares = own.reduce((sum, s) => sum + (s.variance === null ? 0 : (s.n - 1) * s.variance), 0)
  const reference = (SPREAD_PRIOR_DF * PRIOR_GRADE_SPREAD ** 2 + pooledSquares) / (SPREAD_PRIOR_DF + pooledDf)
  const graded = own.filter((s) => s.mean !== null)
  const overall = graded.length === 0 ? FALLBACK.mean : graded.reduce((sum, s) => sum + s.mean * s.n, 0) / graded.reduce((sum, s) => sum + s.n, 0)
  return own.map(({ e, n, mean, variance }): SetupSummary => {
    const spread = Math.max(Math.sqrt(variance === null ? reference : (SPREAD_PRIOR_DF * reference + (n - 1) * variance) / (SPREAD_PRIOR_DF + n - 1)), 0.5)
    if (mean === null) return { setup: e.setup, n: 0, mean: null, v: Infinity, spread, levels: [{ start: 0, probability: 1, mean: null, v: Infinity }], relevance: () => 1 }
    const level = currentLevel(e.grades, { hazard, spread, prior: { mean: overall, sd: NEW_LEVEL_SD } })
    const levels = keepLikeliest(level.runs).map((run) => ({ start: run.start, probability: run.probability, mean: run.mean, v: inflated(run.variance, spread) }))
    const mixtureMean = levels.reduce((sum, l) => sum + l.probability * l.mean, 0)
    const v = levels.reduce((sum, l) => sum + l.probability * (l.v + (l.mean - mixtureMean) ** 2), 0)
    return { setup: e.setup, n: spread ** 2 / level.variance, mean: mixtureMean, v, spread, levels, relevance: level.relevance }
  })
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
