import { describe, expect, it } from 'vitest'
import { gammaDraw, seededRandom } from '../stats/seeded-random.js'
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
})
