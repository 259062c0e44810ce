import type { RandomSource } from '../stats/seeded-random.js'
import { gammaDraw, normalDraw, seededRandom } from '../stats/seeded-random.js'
import type { GridPoint, SetupSummary } from './grade-hierarchy.js'

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
  const random = seededRandom(SEED)
  const drawPoint = sampler(grid.map((g) => g.weight))
  // What each setup's draws need, looked up once: this loop runs DRAWS × setups times.
  const setups = summaries.map((s) => {
    const bug = bugs.get(s.setup)
    return {
      drawLevel: sampler(s.levels.map((l) => l.probability)),
      levels: s.levels.map((level) => ({ precision: level.mean === null ? 0 : 1 / level.v, mean: level.mean ?? 0 })),
      bugShape: bug === undefined || bug.rate <= 0 ? 0 : bug.shape,
      bugRate: bug === undefined || bug.rate <= 0 ? 1 : bug.rate,
    }
  })
  const wins = new Array<number>(setups.length).fill(0)
  for (let draw = 0; draw < DRAWS; draw++) {
    const g = grid[drawPoint(random)] ?? grid[0]
    if (g === undefined) break
    const mu = g.mu + Math.sqrt(g.muVariance) * normalDraw(random)
    const tauSquared = g.tau ** 2
    let best = 0
    let bestScore = -Infinity
    for (let index = 0; index < setups.length; index++) {
      const s = setups[index]
      if (s === undefined) continue
      const level = s.levels[s.drawLevel(random)]
      // θ given μ and τ: the level's mean and μ weighted by their precisions.
      const dataPrecision = level?.precision ?? 0
      const precision = dataPrecision + 1 / tauSquared
      const theta = (dataPrecision * (level?.mean ?? 0) + mu / tauSquared) / precision + normalDraw(random) / Math.sqrt(precision)
      const rate = s.bugShape === 0 ? 0 : gammaDraw(random, s.bugShape) / s.bugRate
      const score = theta - bugWeight * rate
      if (score > bestScore) {
        bestScore = score
        best = index
      }
    }
    wins[best] = (wins[best] ?? 0) + 1
  }
  return new Map(summaries.map((s, index) => [s.setup, (wins[index] ?? 0) / DRAWS]))
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
