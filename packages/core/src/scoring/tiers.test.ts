import { describe, expect, it } from 'vitest'
import { communicationTier, trustTier } from './tiers.js'

describe('tiers', () => {
  it.each([
    [0, 'Probation'], [1, 'Probation'], [1.9, 'Probation'], [2, 'Junior'], [3, 'Junior'], [4, 'Established'],
    [6, 'Established'], [7, 'Senior'], [9, 'Senior'], [10, 'Expert'], [42, 'Expert'],
  ])('SP %d is %s', (sp, tier) => {
    expect(trustTier(sp)).toBe(tier)
  })

  it.each([
    [0, 'Broken'], [0.5, 'Breaking point'], [1, 'Breaking point'], [19, 'Breaking point'], [20, 'Critical'],
    [39, 'Critical'], [40, 'Declining'], [59, 'Declining'], [60, 'Neutral'], [79, 'Neutral'], [80, 'Strong'],
    [99, 'Strong'], [100, 'God-mode'], [250, 'God-mode'],
  ])('CS %d is %s', (cs, tier) => {
    expect(communicationTier(cs)).toBe(tier)
  })
})
