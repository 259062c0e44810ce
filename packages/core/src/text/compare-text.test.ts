import { describe, expect, it } from 'vitest'
import { compareText } from './compare-text.js'

describe('compareText', () => {
  it('orders by code units, where a locale collation would fold case and skip punctuation', () => {
    const names = ['beta@p/m', 'Zed@p/m', 'alpha@p/m', 'a-b@p/m', 'ab@p/m', 'Alpha@p/m']
    expect([...names].sort(compareText)).toEqual(['Alpha@p/m', 'Zed@p/m', 'a-b@p/m', 'ab@p/m', 'alpha@p/m', 'beta@p/m'])
  })

  it('is zero only for equal strings, and antisymmetric', () => {
    expect(compareText('x', 'x')).toBe(0)
    expect(compareText('x', 'y')).toBe(-1)
    expect(compareText('y', 'x')).toBe(1)
    expect(compareText('', 'a')).toBe(-1)
  })
})
