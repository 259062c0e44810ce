import { describe, expect, it } from 'vitest'
import { money, moneyDecimals } from './format.js'

describe('money', () => {
  it('gives a column of amounts one precision: cents when every amount is at least 10 cents', () => {
    const column = [1.28, 0.1971, 0.25, 0]
    const places = moneyDecimals(column)
    expect(column.map((value) => money(value, places))).toEqual(['$1.28', '$0.20', '$0.25', '$0.00'])
  })

  it('adds places for the whole column when some amount is below 10 cents, up to 4', () => {
    const column = [1.28, 0.1971, 0.0844, null]
    expect(column.map((value) => money(value, moneyDecimals(column)))).toEqual(['$1.280', '$0.197', '$0.084', '–'])
    expect(moneyDecimals([0.0031, 12])).toBe(4)
    expect(moneyDecimals([0.00001])).toBe(4)
  })

  it('formats a single amount by the same rule', () => {
    expect(money(12.5)).toBe('$12.50')
    expect(money(0.0844)).toBe('$0.084')
    expect(money(0)).toBe('$0.00')
  })
})
