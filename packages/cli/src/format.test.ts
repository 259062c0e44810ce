import { describe, expect, it } from 'vitest'
import { gain, money, moneyPerCommit, plural, truncate } from './format.js'

describe('one precision per quantity', () => {
  it('prints money spent in cents and cost per commit to a tenth of a cent, whatever the amount', () => {
    expect([12.5, 0.0844, 0, 0.06375000000000003, 0.004].map(money)).toEqual(['$12.50', '$0.08', '$0.00', '$0.06', '<$0.01'])
    expect([1.28, 0.197, 0.0844, 0.06375000000000003, null].map(moneyPerCommit)).toEqual(['$1.280', '$0.197', '$0.084', '$0.064', '–'])
  })

  it('signs what a window earned', () => {
    expect([12.34, -4, 0, -0.01].map(gain)).toEqual(['+12.3', '−4.0', '0.0', '0.0'])
  })
})

describe('words', () => {
  it('agree with their count', () => {
    expect(plural(1, 'commit')).toBe('1 commit')
    expect(plural(0, 'commit')).toBe('0 commits')
    expect(plural(2, 'entry', 'entries')).toBe('2 entries')
  })

  it('are cut by display width, wide characters counting two columns', () => {
    expect(truncate('支払いのウェブフック', 9)).toBe('支払いの…')
    expect(truncate('short', 9)).toBe('short')
  })
})
