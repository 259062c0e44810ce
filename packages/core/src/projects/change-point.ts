/** A grade in time order, with how much it counts (its project's similarity). */
export interface TimedGrade {
  readonly grade: number
  readonly weight: number
  readonly at: string
}

/**
 * Grades observed together — a setup's grades of one day — as the sums the model needs: with
 * weights w (each grade's project similarity), Σw, Σw², Σw·g and Σw·g². A change of level can
 * come between two batches, not within one; a batch of one grade is that grade.
 */
export interface GradeBatch {
  /** When the batch begins: a run that begins with it had begun by then. */
  readonly at: string
  /** Grades in it. */
  readonly count: number
  /** Σw. */
  readonly weight: number
  /** Σw². */
  readonly weightSquares: number
  /** Σw·g. */
  readonly sum: number
  /** Σw·g². */
  readonly squares: number
}

/** One grade as a batch of its own. */
export function gradeBatch(grade: TimedGrade): GradeBatch {
  return { at: grade.at, count: 1, weight: grade.weight, weightSquares: grade.weight ** 2, sum: grade.weight * grade.grade, squares: grade.weight * grade.grade ** 2 }
}

/** One hypothesis about when a setup's current level began: at batch `start`, with its probability. */
export interface RunHypothesis {
  /** Index of the first batch of the current run, among the batches that weigh anything. */
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
  /** Prior chance, per grade, that the setup's level changes (e.g. a model update behind the same name); a batch of n grades changes with 1 − (1 − hazard)ⁿ. */
  readonly hazard: number
  /** Standard deviation of one grade. */
  readonly spread: number
  /** Where a new level is expected to lie before its first grade: mean and standard deviation. */
  readonly prior: { readonly mean: number; readonly sd: number }
  /** Run hypotheses kept at most (see {@link MAX_RUNS}); default 64. */
  readonly maxRuns?: number | undefined
}

/** Run hypotheses less likely than e⁻¹⁴ (about 1e-6) are dropped. */
const PRUNE = Math.exp(-14)

/** 2π: `TWO_PI * v` is the same number as `2 * Math.PI * v`, which multiplies left to right. */
const TWO_PI = 2 * Math.PI

/**
 * At most this many run hypotheses are kept by default. In steady times no hypothesis becomes
 * unlikely enough to drop (each start keeps about the hazard's share), so the runs would grow with
 * the grades and the work with their square; past this many, neighbouring starts are merged.
 */
export const MAX_RUNS = 64

/**
 * Bayesian online change-point detection (Adams and MacKay, 2007) over a setup's grades, with a
 * normal level per run: the posterior over how long ago its current level began. In steady
 * times nearly all the mass is on "the whole history"; after a change the mass moves to the
 * recent run within a few grades, and while it is unsure the level's variance carries both.
 *
 * The grades come in batches (see {@link GradeBatch}), in time order. A batch is seen through its
 * weighted mean x̄ = Σw·g / Σw, as n = (Σw)²/Σw² grades would be: under a run whose level has the
 * posterior N(m, v), x̄ ~ N(m, σ²/n + v). For unweighted grades this is exact — the likelihood of a
 * batch's scatter about its own mean is the same under every hypothesis and cancels — so a day of
 * grades costs one step, not one per grade; a batch of one grade is the usual one-grade step.
 */
export function currentLevel(batches: readonly GradeBatch[], options: ChangePointOptions): CurrentLevel {
  // A batch that weighs nothing says nothing: left out, so that the first batch read is the history's start.
  const grades = batches.filter((batch) => batch.weight > 0)
  const { hazard, spread, prior } = options
  const maxRuns = Math.max(2, options.maxRuns ?? MAX_RUNS)
  const s2 = spread ** 2
  const p2 = prior.sd ** 2
  // Worked out once, not per run and batch: the same numbers as the expressions they stand for.
  const priorPrecision = 1 / p2
  const priorMeanPrecision = prior.mean / p2
  // Runs as parallel arrays (start, probability, Σw, Σw², Σw·grade) of which the first `runs` are
  // live: this loop runs for every batch of every setup at every recommendation — in a short-lived
  // process, mostly before the engine has optimised it — so it updates and prunes them in place in
  // typed arrays and allocates nothing per batch. Probabilities are renormalised after each batch,
  // so they need no logarithms: an exponential and a square root per run.
  const capacity = Math.min(maxRuns, grades.length) + 2
  const start = new Float64Array(capacity)
  const probability = new Float64Array(capacity)
  const weight = new Float64Array(capacity)
  const weightSquares = new Float64Array(capacity)
  const sum = new Float64Array(capacity)
  const exponent = new Float64Array(capacity)
  const scale = new Float64Array(capacity)
  const next = new Float64Array(capacity)
  let runs = 0
  for (let index = 0; index < grades.length; index++) {
    const g = grades[index]
    if (g === undefined) continue
    if (runs === 0) {
      start[0] = index
      probability[0] = 1
      weight[0] = 0
      weightSquares[0] = 0
      sum[0] = 0
      runs = 1
    } else if (hazard > 0) {
      // The batch's mean, and the variance of a mean of its effective number of grades.
      const observed = g.sum / g.weight
      const noise = (s2 * g.weightSquares) / g.weight ** 2
      // No change in any of its n grades: (1 − hazard)ⁿ.
      const logStay = g.count * Math.log1p(-hazard)
      const stay = Math.exp(logStay)
      const change = -Math.expm1(logStay)
      // Each density of the batch's mean is exp(exponent) / √(2π·variance). The largest exponent
      // among the change and the runs that hold any probability is taken out of all of them:
      // nothing then overflows, and the likeliest does not underflow however narrow the spread.
      const changeVariance = noise + p2
      const changeExponent = -((observed - prior.mean) ** 2) / (2 * changeVariance)
      let top = changeExponent
      let mass = 0
      for (let r = 0; r < runs; r++) {
        const w = weight[r] ?? 0
        const count = w ** 2 / (weightSquares[r] ?? 0)
        const postVariance = 1 / (priorPrecision + count / s2)
        const postMean = postVariance * (priorMeanPrecision + (count * (sum[r] ?? 0)) / (w * s2))
        const variance = noise + postVariance
        const e = -((observed - postMean) ** 2) / (2 * variance)
        exponent[r] = e
        scale[r] = 1 / Math.sqrt(TWO_PI * variance)
        const p = probability[r] ?? 0
        mass += p
        if (p > 0 && e > top) top = e
      }
      let total = 0
      for (let r = 0; r < runs; r++) {
        const p = probability[r] ?? 0
        const grown = p > 0 ? p * stay * (scale[r] ?? 0) * Math.exp((exponent[r] ?? 0) - top) : 0
        next[r] = grown
        total += grown
      }
      // A change now takes the hazard's share of the runs' probability before this batch (pruning may have left it under 1).
      const logChangeScale = -0.5 * Math.log(TWO_PI * changeVariance)
      let changed = mass * change * Math.exp(changeExponent - top + logChangeScale)
      if (!(total + changed > 0)) {
        // Only when the likeliest term itself underflowed (a vanishing run, or a hazard of 1): the same step by logarithms.
        changed = stepByLogarithms(runs, { probability, scale, exponent, next }, logStay, Math.log(mass * change) + changeExponent + logChangeScale)
        total = 0
        for (let r = 0; r < runs; r++) total += next[r] ?? 0
      }
      start[runs] = index
      next[runs] = changed
      weight[runs] = 0
      weightSquares[runs] = 0
      sum[runs] = 0
      runs += 1
      total += changed
      // The grown probabilities (`next`), renormalised, into `probability`, the unlikely dropped.
      let kept = 0
      for (let r = 0; r < runs; r++) {
        const value = (next[r] ?? 0) / total
        if (value < PRUNE && r !== runs - 1) continue
        start[kept] = start[r] ?? 0
        probability[kept] = value
        weight[kept] = weight[r] ?? 0
        weightSquares[kept] = weightSquares[r] ?? 0
        sum[kept] = sum[r] ?? 0
        kept += 1
      }
      runs = kept
      if (runs > maxRuns) runs = mergeRuns(runs, { start, probability, weight, weightSquares, sum })
    }
    for (let r = 0; r < runs; r++) {
      weight[r] = (weight[r] ?? 0) + g.weight
      weightSquares[r] = (weightSquares[r] ?? 0) + g.weightSquares
      sum[r] = (sum[r] ?? 0) + g.sum
    }
  }
  return levelOf(runs, { start, probability, weight, weightSquares, sum }, s2, grades)
}

/**
 * The current level from the runs left after the last batch: apart from {@link currentLevel}'s
 * loop, so that the engine compiles that loop — what a cold process waits for — without it.
 */
function levelOf(runs: number, arrays: RunArrays, s2: number, grades: readonly GradeBatch[]): CurrentLevel {
  const { start, probability, weight, weightSquares, sum } = arrays
  let norm = 0
  for (let r = 0; r < runs; r++) norm += probability[r] ?? 0
  const hypotheses: RunHypothesis[] = []
  for (let r = 0; r < runs; r++) {
    const w = weight[r] ?? 0
    if (w > 0) hypotheses.push({ start: (start[r] ?? 0), probability: (probability[r] ?? 0) / norm, mean: (sum[r] ?? 0) / w, variance: (s2 * (weightSquares[r] ?? 0)) / w ** 2 })
  }
  const mean = hypotheses.reduce((total, h) => total + h.probability * h.mean, 0)
  const variance = hypotheses.reduce((total, h) => total + h.probability * (h.variance + (h.mean - mean) ** 2), 0)
  // Runs begin in time order: P(begun by `at`) is a running sum up to the last start at or before it.
  const starts = hypotheses.map((h) => (h.start === 0 ? '' : grades[h.start]?.at ?? ''))
  const begun: number[] = []
  hypotheses.reduce((total, h) => {
    const next = total + h.probability
    begun.push(next)
    return next
  }, 0)
  return {
    runs: hypotheses,
    mean,
    variance,
    relevance: (at) => {
      let low = 0
      let high = starts.length
      while (low < high) {
        const middle = (low + high) >>> 1
        if ((starts[middle] ?? '') <= at) low = middle + 1
        else high = middle
      }
      return low === 0 ? 0 : (begun[low - 1] ?? 0)
    },
  }
}

/**
 * A batch's step by logarithms, for when the likeliest term underflowed: each run's grown
 * probability into `next`, up to a common factor; returns the change's, by the same factor.
 * Apart from {@link currentLevel}'s loop, which it is almost never part of.
 */
function stepByLogarithms(runs: number, arrays: Pick<RunArrays, 'probability'> & { readonly scale: Float64Array; readonly exponent: Float64Array; readonly next: Float64Array }, logStay: number, logChange: number): number {
  const { probability, scale, exponent, next } = arrays
  let best = logChange
  for (let r = 0; r < runs; r++) {
    const p = probability[r] ?? 0
    exponent[r] = p > 0 ? Math.log(p) + logStay + Math.log(scale[r] ?? 0) + (exponent[r] ?? 0) : -Infinity
    best = Math.max(best, exponent[r] ?? -Infinity)
  }
  for (let r = 0; r < runs; r++) next[r] = Math.exp((exponent[r] ?? -Infinity) - best)
  return Math.exp(logChange - best)
}

interface RunArrays {
  readonly start: Float64Array
  readonly probability: Float64Array
  readonly weight: Float64Array
  readonly weightSquares: Float64Array
  readonly sum: Float64Array
}

/**
 * Merges the two neighbouring runs (by start, the newest excepted) that are together least likely
 * into one that holds both's probability and the likelier one's grades: the history's old change
 * points are then known more coarsely, and no probability is lost. Returns the runs left.
 */
function mergeRuns(runs: number, arrays: RunArrays): number {
  const { start, probability, weight, weightSquares, sum } = arrays
  let best = 0
  let bestTogether = Infinity
  for (let r = 0; r < runs - 2; r++) {
    const together = (probability[r] ?? 0) + (probability[r + 1] ?? 0)
    if (together < bestTogether) {
      bestTogether = together
      best = r
    }
  }
  const keep = (probability[best] ?? 0) >= (probability[best + 1] ?? 0) ? best : best + 1
  start[best] = start[keep] ?? 0
  weight[best] = weight[keep] ?? 0
  weightSquares[best] = weightSquares[keep] ?? 0
  sum[best] = sum[keep] ?? 0
  probability[best] = bestTogether
  for (let r = best + 1; r < runs - 1; r++) {
    start[r] = start[r + 1] ?? 0
    probability[r] = probability[r + 1] ?? 0
    weight[r] = weight[r + 1] ?? 0
    weightSquares[r] = weightSquares[r + 1] ?? 0
    sum[r] = sum[r + 1] ?? 0
  }
  return runs - 1
}
