import { describe, expect, it } from 'vitest'
import { roundedJson } from './json-envelope.js'

describe('roundedJson', () => {
  it('rounds every fractional number to 12 significant digits, however deep', () => {
    expect(roundedJson({ cost: 0.1 + 0.2, tokens: { input: 3, share: [1, 0.06375000000000003] } })).toBe('{"cost":0.3,"tokens":{"input":3,"share":[1,0.06375]}}')
  })

  it('gives what JSON.stringify gives for values without a fraction, pretty-printed or not', () => {
    const values: unknown[] = [
      { id: 'a', n: 3, ok: true, none: null, skipped: undefined, list: [1, 'two', { deep: [-0, 1e21] }] },
      [],
      'text',
      42,
      null,
      { at: new Date('2026-03-02T10:00:00.000Z'), nested: { withJson: { toJSON: () => 'shown' } } },
      Object.assign(Object.create(null) as object, { bare: 1 }),
    ]
    for (const value of values) {
      expect(roundedJson(value)).toBe(JSON.stringify(value))
      expect(roundedJson(value, 2)).toBe(JSON.stringify(value, null, 2))
    }
  })

  it('rounds what a value turns into on its way to JSON, and leaves numbers that are not finite to JSON', () => {
    expect(roundedJson({ price: { toJSON: () => 1 / 3 } })).toBe('{"price":0.333333333333}')
    expect(roundedJson({ a: Number.NaN, b: Number.POSITIVE_INFINITY, c: 2.5 })).toBe('{"a":null,"b":null,"c":2.5}')
  })
})
