import { Mulberry32 } from '../stats/seeded-random.js'
import type { GridPoint, SetupSummary } from './grade-hierarchy.js'

const DRAWS = 4000
const SEED = 0x5eed

/**
 * P(each setup has the highest score), by Monte Carlo over the joint posterior with a fixed
 * seed (so the same data always give the same chances): draw τ from its grid, μ given τ, each
 * setup's level hypothesis, θ given those, and a bug rate; count the winners. This is the chance
 * Thompson sampling would give each setup the next task.
 *
 * The inner loop runs DRAWS × setups times (200,000 for 50 setups), mostly in a process too
 * short-lived for the engine to have optimised it before it starts, so:
 * - what does not change between draws is worked out first: θ given μ is `a + b·μ + s·z` with `a`,
 *   `b` and `s` fixed per setup, level and point of the τ grid, and each setup's Gamma sampler
 *   keeps its constants;
 * - one pair of normals by the polar method (no sine or cosine) serves a setup's draw: one for θ,
 *   one for the Gamma draw's first candidate;
 * - the whole draw is one loop, calling nothing but the generator's method and Math: the engine
 *   optimises it in one piece, early (a draw split over functions ran about half again as long);
 * - a setup's bug rate is drawn in full — every uniform its draw takes, so that the stream stays the
 *   same — but its power of a uniform (for a rate's shape below 1) is taken only when the setup
 *   could still be the best of the draw: about one setup in ten (warm, ~12 of ~30 ms).
 */
export function chanceOfBest(
  summaries: readonly SetupSummary[],
  grid: readonly GridPoint[],
  bugs: ReadonlyMap<string, { readonly shape: number; readonly rate: number }>,
  bugWeight: number,
): Map<string, number> {
  if (summaries.length <= 1) return new Map(summaries.map((s) => [s.setup, 1]))
  const random = new Mulberry32(SEED)
  const points = grid.length
  const count = summaries.length
  // The τ grid's cumulative weights, to draw a point.
  const pointCumulative = new Float64Array(points)
  const gridTotal = grid.reduce((sum, g) => sum + g.weight, 0)
  grid.reduce((running, g, point) => (pointCumulative[point] = running + g.weight / gridTotal), 0)
  // Per setup, flattened: its levels' cumulative probabilities and θ's constants per level and
  // grid point; and its bug rate's Gamma constants (d, c, boost, scale; `hasBugs` 0: no bugs to draw).
  const levelStart = new Int32Array(count + 1)
  for (let index = 0; index < count; index++) levelStart[index + 1] = (levelStart[index] ?? 0) + (summaries[index]?.levels.length ?? 0)
  const cumulative = new Float64Array(levelStart[count] ?? 0)
  const thetas = new Float64Array((levelStart[count] ?? 0) * points * 3)
  const gamma = new Float64Array(count * 4)
  const hasBugs = new Uint8Array(count)
  summaries.forEach((s, index) => {
    const constants = gammaOf(bugs.get(s.setup), bugWeight)
    if (constants !== null) {
      hasBugs[index] = 1
      gamma.set([constants.d, constants.c, constants.boost, constants.scale], index * 4)
    }
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
  const wins = new Float64Array(count)
  for (let draw = 0; draw < DRAWS; draw++) {
    const pointRoll = random.next()
    let point = points - 1
    for (let index = 0; index < points; index++) {
      if (pointRoll < (pointCumulative[index] ?? 0)) {
        point = index
        break
      }
    }
    const g = grid[point]
    if (g === undefined) break
    const mu = g.mu + Math.sqrt(g.muVariance) * boxMuller(1 - random.next(), random.next())
    let best = 0
    let bestScore = -Infinity
    for (let index = 0; index < count; index++) {
      const first = levelStart[index] ?? 0
      const last = (levelStart[index + 1] ?? 0) - 1
      let level = first
      if (last > first) {
        const roll = random.next()
        while (level < last && roll >= (cumulative[level] ?? 1)) level++
      }
      const at = (level * points + point) * 3
      // Two normals by Marsaglia's polar method: a point in the unit disc, no sine or cosine.
      let x = 0
      let y = 0
      let square = 0
      do {
        x = 2 * random.next() - 1
        y = 2 * random.next() - 1
        square = x * x + y * y
      } while (square >= 1 || square === 0)
      const factor = Math.sqrt((-2 * Math.log(square)) / square)
      let score = (thetas[at] ?? 0) + (thetas[at + 1] ?? 0) * mu + (thetas[at + 2] ?? 0) * x * factor
      if (hasBugs[index] === 1) {
        // The bug rate × weight: Gamma(shape) × scale by Marsaglia and Tsang with their squeeze
        // (as `gammaDraw` in stats), from the second normal; a rejected candidate draws the next
        // normal by Box–Muller. A shape below 1 is drawn as shape + 1, scaled back by U^(1/shape).
        const d = gamma[index * 4] ?? 0
        const c = gamma[index * 4 + 1] ?? 0
        const boost = gamma[index * 4 + 2] ?? 0
        let candidate = y * factor
        for (;;) {
          const t = 1 + c * candidate
          if (t > 0) {
            const v = t * t * t
            const u = 1 - random.next()
            const x2 = candidate * candidate
            if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d - d * v + d * Math.log(v)) {
              if (boost === 0) score -= d * v * (gamma[index * 4 + 3] ?? 0)
              else {
                // The boost's uniform is drawn whatever happens, so that the draws after it stay the
                // same; its power (the costliest step of a draw, for the small shapes of rare bugs)
                // only where the setup could still be the best: the penalty is never negative, so
                // a score not above the best so far stays not above it.
                const scaleBack = 1 - random.next()
                if (score > bestScore) score -= d * v * scaleBack ** boost * (gamma[index * 4 + 3] ?? 0)
              }
              break
            }
          }
          candidate = boxMuller(1 - random.next(), random.next())
        }
      }
      if (score > bestScore) {
        bestScore = score
        best = index
      }
    }
    wins[best] = (wins[best] ?? 0) + 1
  }
  return new Map(summaries.map((s, index) => [s.setup, (wins[index] ?? 0) / DRAWS]))
}

/** A standard normal from two uniforms by Box–Muller, as `normalDraw` in stats: `u` in (0, 1], `v` in [0, 1). */
function boxMuller(u: number, v: number): number {
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v)
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
