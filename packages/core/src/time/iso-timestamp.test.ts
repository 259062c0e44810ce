import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dayOf, toIsoTimestamp } from './iso-timestamp.js'

describe('toIsoTimestamp', () => {
  let zone: string | undefined
  beforeEach(() => {
    zone = process.env.TZ
  })
  afterEach(() => {
    process.env.TZ = zone
  })

  it.each([
    ['2026-02-23', '2026-02-23T00:00:00.000Z'],
    ['2026-02-23T18:00:00Z', '2026-02-23T18:00:00.000Z'],
    ['2026-02-23T18:00:00.5+02:00', '2026-02-23T16:00:00.500Z'],
    ['2026-02-23T18:00Z', '2026-02-23T18:00:00.000Z'],
    ['2024-02-29T23:59:59.999Z', '2024-02-29T23:59:59.999Z'],
  ])('normalises %s to %s', (input, expected) => {
    expect(toIsoTimestamp(input)).toBe(expected)
  })

  it('reads a date-time without a zone as local time', () => {
    process.env.TZ = 'Europe/Berlin'
    expect(toIsoTimestamp('2026-02-23T18:00:00')).toBe('2026-02-23T17:00:00.000Z')
  })

  it.each(['yesterday', '2026-02-30', '2026-13-01', '23/02/2026', '2026-02-23 18:00', '', 1700000000000, '2026-02-30T00:00:00.000Z', '2025-02-29T12:00:00.000Z'])(
    'rejects %j naming the accepted forms',
    (input) => {
      expect(() => toIsoTimestamp(input, 'since')).toThrow(/^Invalid since .*: use an ISO 8601 date \(2026-02-23\) or date-time/)
    },
  )

  it('gives the UTC day', () => {
    expect(dayOf('2026-02-23T23:59:59.999Z')).toBe('2026-02-23')
  })
})
