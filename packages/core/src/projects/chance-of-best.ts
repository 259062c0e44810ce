import type { RandomSource } from '../stats/seeded-random.js'
import { normalDraw, seededRandom } from '../stats/seeded-random.js'
import type { GridPoint, SetupSummary } from './grade-hierarchy.js'

const DRAWS = 4000
const SEED = 0x5eed

/**
 * P(each setup has the highest score), by Monte Carlo over the joint posterior with a fixed
 * seed (so the same data always give the same chances): draw τ from its grid, μ given τ, each
 * setup's level hypothesis, θ given those, and a bug rate; count the winners. This is the chance
 * Thompson sampling would give each setup the next task.
 *
 * The inner loop runs DRAWS × setups times (200,000 for 50 setups), so what does not change
 * between draws is worked out first: θ given μ is `a + b·μ + s·z` with `a`, `b` and `s` fixed per
 * setup, level and point of the τ grid, and each setup's Gamma sampler keeps its constants. One
 * pair of normals by the polar method (no sine or cosine) serves a setup's draw: one for θ, one
 * for the Gamma draw's first candidate.
 */
export function chanceOfBest(
  summaries: readonly SetupSummary[],
  grid: readonly GridPoint[],
  bugs: ReadonlyMap<string, { readonly shape: number; readonly rate: number }>,
  bugWeight: number,
): Map<string, number> {
  if (summaries.length <= 1) return new Map(summaries.map((s) => [s.setup, 1]))
  const random = seededRandom(SEED)
  const drawPoint = sampler(grid.map((g) => g.weight))
  const points = grid.length
  const count = summaries.length
  // Per setup, flattened: its levels' cumulative probabilities and θ's constants per level and
  // grid point; and its bug rate's Gamma constants (null: no bugs to draw).
  const levelStart = new Int32Array(count + 1)
  for (let index = 0; index < count; index++) levelStart[index + 1] = (levelStart[index] ?? 0) + (summaries[index]?.levels.length ?? 0)
  const cumulative = new Float64Array(levelStart[count] ?? 0)
  const thetas = new Float64Array((levelStart[count] ?? 0) * points * 3)
  const bugRates = summaries.map((s) => gammaOf(bugs.get(s.setup), bugWeight))
  summaries.forEach((s, index) => {
    const first = levelStart[index] ?? 0
    const total = s.levels.reduce((sum, level) => sum + level.probability, 0)
    let running = 0
    s.levels.forEach((level, l) => {
      cumulative[first + l] = running += level.probability / total
      const dataPrecision = level.mean === null ? 0 : 1 / level.v
      grid.forEach((g, point) => {
        // θ given μ and τ: the level's mean and μ weighted by their precisions.
        const precision = dataPrecision + 1 / g.tau ** 2
        const at = ((first + l) * points + point) * 3
        thetas[at] = (dataPrecision * (level.mean ?? 0)) / precision
        thetas[at + 1] = 1 / g.tau ** 2 / precision
        thetas[at + 2] = 1 / Math.sqrt(precision)
      })
    })
  })
  const wins = new Array<number>(count).fill(0)
  for (let draw = 0; draw < DRAWS; draw++) {
    const point = drawPoint(random)
    const g = grid[point] ?? grid[0]
    if (g === undefined) break
    const mu = g.mu + Math.sqrt(g.muVariance) * normalDraw(random)
    let best = 0
    let bestScore = -Infinity
    for (let index = 0; index < count; index++) {
      const first = levelStart[index] ?? 0
      const last = (levelStart[index + 1] ?? 0) - 1
      let level = first
      if (last > first) {
        const roll = random()
        while (level < last && roll >= (cumulative[level] ?? 1)) level++
      }
      const at = (level * points + point) * 3
      // Two normals by Marsaglia's polar method: a point in the unit disc, no sine or cosine.
      let x = 0
      let y = 0
      let square = 0
      do {
        x = 2 * random() - 1
        y = 2 * random() - 1
        square = x * x + y * y
      } while (square >= 1 || square === 0)
      const factor = Math.sqrt((-2 * Math.log(square)) / square)
      let score = (thetas[at] ?? 0) + (thetas[at + 1] ?? 0) * mu + (thetas[at + 2] ?? 0) * x * factor
      const bugRate = bugRates[index]
      if (bugRate !== null && bugRate !== undefined) score -= gammaDraw(random, bugRate, y * factor)
      if (score > bestScore) {
        bestScore = score
        best = index
      }
    }
    wins[best] = (wins[best] ?? 0) + 1
  }
  return new Map(summaries.map((s, index) => [s.setup, (wins[index] ?? 0) / DRAWS]))
}

/** A Gamma(shape, 1) × scale distribution's constants for Marsaglia and Tsang's method. */
interface GammaConstants {
  readonly d: number
  readonly c: number
  /** 1/shape for a shape below 1, boosted to shape + 1 and scaled back by U^(1/shape); 0 otherwise. */
  readonly boost: number
  readonly scale: number
}

/** A setup's bug rate × the bug weight as Gamma constants; null when it has no bugs to draw. */
function gammaOf(bug: { readonly shape: number; readonly rate: number } | undefined, bugWeight: number): GammaConstants | null {
  if (bug === undefined || bug.rate <= 0 || bug.shape <= 0) return null
  const d = (bug.shape < 1 ? bug.shape + 1 : bug.shape) - 1 / 3
  return { d, c: 1 / Math.sqrt(9 * d), boost: bug.shape < 1 ? 1 / bug.shape : 0, scale: bugWeight / bug.rate }
}

/**
 * One draw of a Gamma × scale, given its first normal: Marsaglia and Tsang with their squeeze, as
 * `gammaDraw` in stats; a rejected candidate draws the next normal itself.
 */
function gammaDraw(random: RandomSource, { d, c, boost, scale }: GammaConstants, normal: number): number {
  let x = normal
  for (;;) {
    const t = 1 + c * x
    if (t > 0) {
      const v = t * t * t
      const u = 1 - random()
      const x2 = x * x
      if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d - d * v + d * Math.log(v)) {
        return (boost === 0 ? d * v : d * v * (1 - random()) ** boost) * scale
      }
    }
    x = normalDraw(random)
  }
}

/** Draws an index with the given weights. */
function sampler(weights: readonly number[]): (random: RandomSource) => number {
  const total = weights.reduce((sum, w) => sum + w, 0)
  const cumulative: number[] = []
  let running = 0
  for (const w of weights) cumulative.push((running += w / total))
  return (random) => {
    const roll = random()
    for (let index = 0; index < cumulative.length; index++) if (roll < (cumulative[index] ?? 0)) return index
    return weights.length - 1
  }
}
