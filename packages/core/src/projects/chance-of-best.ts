import type { RandomSource } from '../stats/seeded-random.js'
import { gammaDraw, normalDraw, seededRandom } from '../stats/seeded-random.js'
import type { GridPoint, LevelSummary, SetupSummary } from './grade-hierarchy.js'

const DRAWS = 4000
const SEED = 0x5eed

/**
 * P(each setup has the highest score), by Monte Carlo over the joint posterior with a fixed
 * seed (so the same data always give the same chances): draw τ from its grid, μ given τ, each
 * setup's level hypothesis, θ given those, and a bug rate; count the winners. This is the chance
 * Thompson sampling would give each setup the next task.
 */
export function chanceOfBest(
  summaries: readonly SetupSummary[],
  grid: readonly GridPoint[],
  bugs: ReadonlyMap<string, { readonly shape: number; readonly rate: number }>,
  bugWeight: number,
): Map<string, number> {
  if (summaries.length <= 1) return new Map(summaries.map((s) => [s.setup, 1]))
  const wins = new Map(summaries.map((s) => [s.setup, 0]))
  const random = seededRandom(SEED)
  const drawPoint = sampler(grid.map((g) => g.weight))
  const drawLevel = new Map(summaries.map((s) => [s.setup, sampler(s.levels.map((l) => l.probability))]))
  for (let draw = 0; draw < DRAWS; draw++) {
    const g = grid[drawPoint(random)] ?? grid[0]
    if (g === undefined) break
    const mu = g.mu + Math.sqrt(g.muVariance) * normalDraw(random)
    let best = ''
    let bestScore = -Infinity
    for (const s of summaries) {
      const level: LevelSummary | undefined = s.levels[drawLevel.get(s.setup)?.(random) ?? 0]
      const theta = drawTheta(random, level, mu, g.tau)
      const bug = bugs.get(s.setup)
      const rate = bug === undefined || bug.rate <= 0 ? 0 : gammaDraw(random, bug.shape) / bug.rate
      const score = theta - bugWeight * rate
      if (score > bestScore) {
        bestScore = score
        best = s.setup
      }
    }
    wins.set(best, (wins.get(best) ?? 0) + 1)
  }
  return new Map([...wins].map(([setup, count]) => [setup, count / DRAWS]))
}

/** θ given μ and τ: the level's mean and μ weighted by their precisions. */
function drawTheta(random: RandomSource, level: LevelSummary | undefined, mu: number, tau: number): number {
  const dataPrecision = level === undefined || level.mean === null ? 0 : 1 / level.v
  const precision = dataPrecision + 1 / tau ** 2
  const mean = (dataPrecision * (level?.mean ?? 0) + mu / tau ** 2) / precision
  return mean + normalDraw(random) / Math.sqrt(precision)
}

/** Draws an index with the given weights. */
function sampler(weights: readonly number[]): (random: RandomSource) => number {
  const total = weights.reduce((sum, w) => sum + w, 0)
  const cumulative: number[] = []
  let running = 0
  for (const w of weights) cumulative.push((running += w / total))
  return (random) => {
    const roll = random()
    const index = cumulative.findIndex((c) => roll < c)
    return index === -1 ? weights.length - 1 : index
  }
}
