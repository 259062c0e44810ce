import { describe, expect, it } from 'vitest'
import { gammaDraw, normalDraw, seededRandom } from '../stats/seeded-random.js'
import { chanceOfBest } from './chance-of-best.js'
import type { GridPoint, LevelSummary, SetupSummary } from './grade-hierarchy.js'

/** One point of the τ grid with μ known exactly: each θ is its level's mean, shrunk a little. */
const GRID: readonly GridPoint[] = [{ tau: 1, weight: 1, mu: 0, muVariance: 0 }]

function summary(setup: string, levels: readonly LevelSummary[]): SetupSummary {
  return { setup, n: 1, mean: levels[0]?.mean ?? null, v: levels[0]?.v ?? 1, spread: 1, levels, relevance: () => 1, evidenceShare: 0 }
}

/** P(normal a + N(0, σa²) < b + N(0, σb²)) for θ given μ = 0 and τ = 1. */
function chanceAbove(a: LevelSummary, b: LevelSummary): number {
  const posterior = (level: LevelSummary): { mean: number; variance: number } => {
    const precision = 1 / level.v + 1
    return { mean: (level.mean ?? 0) / level.v / precision, variance: 1 / precision }
  }
  const [pa, pb] = [posterior(a), posterior(b)]
  const z = (pb.mean - pa.mean) / Math.sqrt(pa.variance + pb.variance)
  // Φ(z) by the error function's series: |z| stays small here.
  let sum = 0
  let term = z
  for (let k = 0; k < 60; k++) {
    sum += term / (2 * k + 1)
    term *= (-z * z) / 2 / (k + 1)
  }
  return 0.5 + sum / Math.sqrt(2 * Math.PI)
}

describe('chanceOfBest', () => {
  it('gives two setups without bugs the chance of their θ being higher, a level hypothesis drawn at its probability', () => {
    const steady = { start: 0, probability: 1, mean: 1.2, v: 0.5 }
    const before = { start: 0, probability: 0.3, mean: 2.4, v: 0.5 }
    const after = { start: 5, probability: 0.7, mean: 0.6, v: 0.5 }
    const chances = chanceOfBest([summary('steady', [steady]), summary('changed', [before, after])], GRID, new Map(), 2)
    const expected = 0.3 * chanceAbove(steady, before) + 0.7 * chanceAbove(steady, after)
    // 4,000 draws: a standard error of about 0.008.
    expect(chances.get('changed')).toBeCloseTo(expected, 1)
    expect(Math.abs((chances.get('changed') ?? 0) - expected)).toBeLessThan(0.03)
    expect((chances.get('steady') ?? 0) + (chances.get('changed') ?? 0)).toBeCloseTo(1, 9)
  })

  it('charges each setup a bug rate drawn from its Gamma, small shapes included', () => {
    // Equal, certain grades: the setup with the lower drawn bug rate wins.
    const level = { start: 0, probability: 1, mean: 2, v: 1e-12 }
    const bugs = new Map([['rare', { shape: 0.4, rate: 1 }], ['steady', { shape: 3, rate: 5 }]])
    const chances = chanceOfBest([summary('rare', [level]), summary('steady', [level])], GRID, bugs, 1)
    // The same chance by plain draws of both Gammas, 200,000 pairs.
    const random = seededRandom(99)
    let rareWins = 0
    for (let draw = 0; draw < 200_000; draw++) if (gammaDraw(random, 0.4) < gammaDraw(random, 3) / 5) rareWins++
    expect(Math.abs((chances.get('rare') ?? 0) - rareWins / 200_000)).toBeLessThan(0.03)
  })

  it('draws exactly what the plain composition of the draws in stats gives, so that the same data keep the same chances', () => {
    const random = seededRandom(2024)
    const pick = (low: number, high: number): number => low + (high - low) * random()
    for (let scenario = 0; scenario < 12; scenario++) {
      const grid: GridPoint[] = Array.from({ length: 1 + (scenario % 4) }, () => ({ tau: pick(0.1, 2), weight: pick(0, 1), mu: pick(0, 3), muVariance: pick(0, 0.2) }))
      const summaries = Array.from({ length: 2 + (scenario % 7) }, (_, index) => {
        const levels = Array.from({ length: 1 + Math.floor(pick(0, 6)) }, (_, start) => ({ start, probability: pick(0.01, 1), mean: index === 0 && scenario % 3 === 0 ? null : pick(0, 4), v: pick(0.001, 1) }))
        return summary(`s${String(index)}`, levels)
      })
      // Some setups without bugs, some with shapes below 1 (boosted), some far above.
      const bugs = new Map(summaries.flatMap((s, index) => (index % 3 === 2 ? [] : [[s.setup, { shape: index % 3 === 0 ? pick(0.05, 0.9) : pick(1, 60), rate: pick(1, 500) }] as const])))
      const bugWeight = pick(0.5, 3)
      expect(chanceOfBest(summaries, grid, bugs, bugWeight)).toEqual(plainChances(summaries, grid, bugs, bugWeight))
    }
  })
})

/**
 * The Monte Carlo of `chanceOfBest` written plainly with the generator and normal draws of stats,
 * drawing in the same order: τ's point, μ, then per setup its level, a polar pair (θ's noise and
 * the Gamma's first candidate) and the Gamma's uniforms.
 */
function plainChances(summaries: readonly SetupSummary[], grid: readonly GridPoint[], bugs: ReadonlyMap<string, { shape: number; rate: number }>, bugWeight: number): Map<string, number> {
  const random = seededRandom(0x5eed)
  const gridTotal = grid.reduce((sum, g) => sum + g.weight, 0)
  const firstBelow = (roll: number, weights: readonly number[], total: number): number => {
    let running = 0
    const index = weights.findIndex((w) => roll < (running += w / total))
    return index === -1 ? weights.length - 1 : index
  }
  const wins = summaries.map(() => 0)
  for (let draw = 0; draw < 4000; draw++) {
    const g = grid[firstBelow(random(), grid.map((p) => p.weight), gridTotal)]
    if (g === undefined) throw new Error('no grid point')
    const mu = g.mu + Math.sqrt(g.muVariance) * normalDraw(random)
    const scores = summaries.map((s) => {
      const levelTotal = s.levels.reduce((sum, level) => sum + level.probability, 0)
      const level = s.levels.length === 1 ? s.levels[0] : s.levels[firstBelow(random(), s.levels.map((l) => l.probability), levelTotal)]
      if (level === undefined) throw new Error('no level')
      const dataPrecision = level.mean === null ? 0 : 1 / level.v
      const precision = dataPrecision + 1 / g.tau ** 2
      let x = 0
      let y = 0
      let square = 0
      do {
        x = 2 * random() - 1
        y = 2 * random() - 1
        square = x * x + y * y
      } while (square >= 1 || square === 0)
      const factor = Math.sqrt((-2 * Math.log(square)) / square)
      let score = (dataPrecision * (level.mean ?? 0)) / precision + (1 / g.tau ** 2 / precision) * mu + (1 / Math.sqrt(precision)) * x * factor
      const bug = bugs.get(s.setup)
      if (bug !== undefined) {
        const d = (bug.shape < 1 ? bug.shape + 1 : bug.shape) - 1 / 3
        const c = 1 / Math.sqrt(9 * d)
        for (let candidate = y * factor; ; candidate = normalDraw(random)) {
          const t = 1 + c * candidate
          if (t <= 0) continue
          const v = t * t * t
          const u = 1 - random()
          const x2 = candidate * candidate
          if (u < 1 - 0.0331 * x2 * x2 || Math.log(u) < 0.5 * x2 + d - d * v + d * Math.log(v)) {
            score -= (bug.shape < 1 ? d * v * (1 - random()) ** (1 / bug.shape) : d * v) * (bugWeight / bug.rate)
            break
          }
        }
      }
      return score
    })
    const best = scores.reduce((top, score, index) => (score > (scores[top] ?? -Infinity) ? index : top), 0)
    wins[best] = (wins[best] ?? 0) + 1
  }
  return new Map(summaries.map((s, index) => [s.setup, (wins[index] ?? 0) / 4000]))
}

