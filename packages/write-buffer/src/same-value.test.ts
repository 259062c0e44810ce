import { describe, expect, it } from 'vitest'
import { sameValue } from './same-value.js'

describe('sameValue', () => {
  const record = { v: 1, id: 'build@fake/m1', state: { toolCalls: 3, grades: [1, 2] }, note: undefined }

  it('is true for records with the same data, however built', () => {
    expect(sameValue(record, { id: 'build@fake/m1', v: 1, state: { grades: [1, 2], toolCalls: 3 } })).toBe(true)
    expect(sameValue(undefined, undefined)).toBe(true)
  })

  it.each([
    ['a nested number', { ...record, state: { toolCalls: 4, grades: [1, 2] } }],
    ['an array element', { ...record, state: { toolCalls: 3, grades: [1, 5] } }],
    ['an extra field', { ...record, haltedAt: '2026-01-01T00:00:00.000Z' }],
    ['a missing record', undefined],
    ['an array for an object', [record]],
  ])('is false when %s differs', (_, other) => {
    expect(sameValue(record, other)).toBe(false)
    expect(sameValue(other, record)).toBe(false)
  })
})
