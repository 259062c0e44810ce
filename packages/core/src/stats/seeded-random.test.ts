import { describe, expect, it } from 'vitest'
import type { RandomSource } from './seeded-random.js'
import { gammaDraw, normalDraw, seededRandom } from './seeded-random.js'

/** Marsaglia and Tsang's method with the full acceptance test only: what the squeeze must not change. */
function gammaByFullTest(random: RandomSource, shape: number): number {
  if (shape < 1) return gammaByFullTest(random, shape + 1) * (1 - random()) ** (1 / shape)
  const d = shape - 1 / 3
  const c = 1 / Math.sqrt(9 * d)
  for (;;) {
    const x = normalDraw(random)
    const v = (1 + c * x) ** 3
    if (v <= 0) continue
    const u = 1 - random()
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v
  }
}

describe('seeded randomness', () => {
  it('repeats a sequence for a seed and differs between seeds', () => {
    const a = seededRandom(42)
    const b = seededRandom(42)
    const first = Array.from({ length: 5 }, () => a())
    expect(Array.from({ length: 5 }, () => b())).toEqual(first)
    expect(Array.from({ length: 5 }, seededRandom(43))).not.toEqual(first)
  })

  it('draws normals and gammas with the right moments', () => {
    const random = seededRandom(7)
    const normals = Array.from({ length: 20_000 }, () => normalDraw(random))
    const mean = normals.reduce((sum, x) => sum + x, 0) / normals.length
    expect(mean).toBeCloseTo(0, 1)
    expect(normals.reduce((sum, x) => sum + (x - mean) ** 2, 0) / normals.length).toBeCloseTo(1, 1)
    for (const shape of [0.4, 3]) {
      const gammas = Array.from({ length: 20_000 }, () => gammaDraw(random, shape))
      expect(gammas.reduce((sum, x) => sum + x, 0) / gammas.length).toBeCloseTo(shape, 1)
    }
    expect(gammaDraw(random, 0)).toBe(0)
  })

  it('draws the very gammas of the full acceptance test: the squeeze only skips logarithms', () => {
    for (const shape of [0.3, 1, 1.7, 5, 40, 900]) {
      const squeezed = seededRandom(11)
      const full = seededRandom(11)
      const draws = Array.from({ length: 5_000 }, () => gammaDraw(squeezed, shape))
      expect(draws, `shape ${String(shape)}`).toEqual(Array.from({ length: 5_000 }, () => gammaByFullTest(full, shape)))
    }
  })
})
