import { describe, expect, it } from 'vitest'
import { normalCdf, normalQuantile } from './normal.js'

describe('the standard normal distribution', () => {
  it('gives the textbook values of Φ', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7)
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6)
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6)
    expect(normalCdf(Infinity)).toBe(1)
    expect(normalCdf(-Infinity)).toBe(0)
  })

  it('inverts Φ across the whole range, tails included', () => {
    for (const p of [1e-6, 0.01, 0.05, 0.25, 0.5, 0.8, 0.95, 0.999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 6)
    expect(normalQuantile(0.95)).toBeCloseTo(1.644854, 5)
  })

  it('refuses a probability outside (0, 1), saying what it accepts', () => {
    expect(() => normalQuantile(1)).toThrow('strictly between 0 and 1, got 1')
  })
})
