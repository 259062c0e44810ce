import { describe, expect, it } from 'vitest'
import { normalQuantile } from './normal.js'
import { mixtureCdf, mixtureInterval, mixtureMean, mixtureQuantile } from './normal-mixture.js'

describe('normal mixtures', () => {
  it('reduce to the normal distribution with one component', () => {
    const single = [{ weight: 1, mean: 2, variance: 0.25 }]
    const [low, high] = mixtureInterval(single, 0.9)
    expect(low).toBeCloseTo(2 - 0.5 * normalQuantile(0.95), 4)
    expect(high).toBeCloseTo(2 + 0.5 * normalQuantile(0.95), 4)
  })

  it('put their quantiles where the mixed mass is', () => {
    const twoPeaks = [{ weight: 0.5, mean: -3, variance: 0.01 }, { weight: 0.5, mean: 3, variance: 0.01 }]
    expect(mixtureMean(twoPeaks)).toBe(0)
    expect(mixtureCdf(twoPeaks, 0)).toBeCloseTo(0.5, 9)
    expect(mixtureQuantile(twoPeaks, 0.25)).toBeCloseTo(-3, 2)
    expect(mixtureQuantile(twoPeaks, 0.75)).toBeCloseTo(3, 2)
  })
})
