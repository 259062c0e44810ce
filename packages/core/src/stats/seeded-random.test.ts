import { describe, expect, it } from 'vitest'
import { gammaDraw, normalDraw, seededRandom } from './seeded-random.js'

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
})
