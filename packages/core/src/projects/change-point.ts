/** A grade in time order, with how much it counts (its project's similarity). */
export interface TimedGrade {
  readonly grade: number
  readonly weight: number
  readonly at: string
}

/** One hypothesis about when a setup's current level began: at grade `start`, with its probability. */
export interface RunHypothesis {
  /** Index of the first grade of the current run. */
  readonly start: number
  readonly probability: number
  /** Weighted mean of the run's grades and its variance σ² · Σw² / (Σw)². */
  readonly mean: number
  readonly variance: number
}

/** Where a setup's current level began, and what that level looks like. */
export interface CurrentLevel {
  readonly runs: readonly RunHypothesis[]
  /** The runs' mixture, moment-matched: mean and variance of the current level. */
  readonly mean: number
  readonly variance: number
  /** P(the current run had begun by this time): how much a commit or bug at that time says about the present. */
  readonly relevance: (at: string) => number
}

/** Options of {@link currentLevel}. */
export interface ChangePointOptions {
  /** Prior chance, per graded commit, that the setup's level changes (e.g. a model update behind the same name). */
  readonly hazard: number
  /** Standard deviation of one grade. */
  readonly spread: number
  /** Where a new level is expected to lie before its first grade: mean and standard deviation. */
  readonly prior: { readonly mean: number; readonly sd: number }
}

/** Run hypotheses less likely than e⁻¹⁴ (about 1e-6) are dropped. */
const LOG_PRUNE = -14

/**
 * Bayesian online change-point detection (Adams and MacKay, 2007) over a setup's grades, with a
 * normal level per run: the posterior over how long ago its current level began. In steady
 * times nearly all the mass is on "the whole history"; after a change the mass moves to the
 * recent run within a few grades, and while it is unsure the level's variance carries both.
 * Grades must be in time order.
 */
export function currentLevel(grades: readonly TimedGrade[], options: ChangePointOptions): CurrentLevel {
  const { hazard, spread, prior } = options
  const s2 = spread ** 2
  const p2 = prior.sd ** 2
  const logGrow = Math.log(1 - hazard)
  const logChange = Math.log(hazard)
  // Runs as parallel arrays (start, log probability, Σw, Σw², Σw·grade): this loop runs for every
  // grade of every setup at every recommendation, so it allocates nothing per run.
  let start: number[] = []
  let logP: number[] = []
  let weight: number[] = []
  let squares: number[] = []
  let sum: number[] = []
  for (const [index, g] of grades.entries()) {
    if (start.length === 0 || hazard <= 0) {
      if (start.length === 0) [start, logP, weight, squares, sum] = [[index], [0], [0], [0], [0]]
    } else {
      const before = logSumExp(logP)
      for (let r = 0; r < start.length; r++) {
        const w = weight[r] ?? 0
        const count = w ** 2 / (squares[r] ?? 1)
        const postVariance = 1 / (1 / p2 + count / s2)
        const postMean = postVariance * (prior.mean / p2 + (count * (sum[r] ?? 0)) / (w * s2))
        logP[r] = (logP[r] ?? 0) + logGrow + logNormal(g.grade, postMean, s2 + postVariance)
      }
      start.push(index)
      logP.push(before + logChange + logNormal(g.grade, prior.mean, s2 + p2))
      weight.push(0)
      squares.push(0)
      sum.push(0)
      const norm = logSumExp(logP)
      const keep = logP.map((value, r) => value - norm >= LOG_PRUNE || r === logP.length - 1)
      const kept = <T>(values: T[]): T[] => values.filter((_, r) => keep[r])
      ;[start, weight, squares, sum] = [kept(start), kept(weight), kept(squares), kept(sum)]
      logP = kept(logP).map((value) => value - norm)
    }
    for (let r = 0; r < start.length; r++) {
      weight[r] = (weight[r] ?? 0) + g.weight
      squares[r] = (squares[r] ?? 0) + g.weight ** 2
      sum[r] = (sum[r] ?? 0) + g.weight * g.grade
    }
  }
  const norm = start.length === 0 ? 0 : logSumExp(logP)
  const hypotheses = start.flatMap((first, r): RunHypothesis[] => {
    const w = weight[r] ?? 0
    return w <= 0 ? [] : [{ start: first, probability: Math.exp((logP[r] ?? 0) - norm), mean: (sum[r] ?? 0) / w, variance: (s2 * (squares[r] ?? 0)) / w ** 2 }]
  })
  const mean = hypotheses.reduce((total, h) => total + h.probability * h.mean, 0)
  const variance = hypotheses.reduce((total, h) => total + h.probability * (h.variance + (h.mean - mean) ** 2), 0)
  const starts = hypotheses.map((h) => ({ at: h.start === 0 ? '' : grades[h.start]?.at ?? '', probability: h.probability }))
  return {
    runs: hypotheses,
    mean,
    variance,
    relevance: (at) => starts.reduce((total, s) => total + (s.at <= at ? s.probability : 0), 0),
  }
}

function logNormal(x: number, mean: number, variance: number): number {
  return -0.5 * Math.log(2 * Math.PI * variance) - (x - mean) ** 2 / (2 * variance)
}

function logSumExp(values: readonly number[]): number {
  const top = Math.max(...values)
  return top === -Infinity ? -Infinity : top + Math.log(values.reduce((sum, v) => sum + Math.exp(v - top), 0))
}
