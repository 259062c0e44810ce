import fc from 'fast-check'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { dayOf, isoTimestampOfMs, toFactTimestamp, toIsoTimestamp } from './iso-timestamp.js'

describe('toIsoTimestamp', () => {
  let zone: string | undefined
  beforeEach(() => {
    zone = process.env.TZ
  })
  afterEach(() => {
    // Assigning undefined would set TZ to the string "undefined".
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
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

describe('toFactTimestamp', () => {
  let zone: string | undefined
  beforeEach(() => {
    zone = process.env.TZ
  })
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ
    else process.env.TZ = zone
  })

  it('refuses a date-time without a zone, naming Z and ±hh:mm, in every zone the machine may be in', () => {
    for (const machine of ['UTC', 'America/New_York', 'Asia/Tokyo']) {
      process.env.TZ = machine
      for (const text of ['2026-11-10T10:00:00', '2026-11-10T10:00', ' 2026-11-10T10:00:00.250 ']) {
        expect(() => toFactTimestamp(text, 'field "at"')).toThrow(/^Invalid field "at" .*: a date-time needs its zone, Z \(UTC\) or an offset ±hh:mm, as in 2026-11-10T10:00(:00(\.250)?)?Z or/)
      }
    }
  })

  it('reads a date-time with its zone, and a bare date, to the same instant in every zone the machine may be in', () => {
    const read = (machine: string): string[] => {
      process.env.TZ = machine
      return ['2026-11-10', '2026-11-10T10:00:00Z', '2026-11-10T10:00:00-05:00', '2026-11-10T10:00:00.000Z'].map((text) => toFactTimestamp(text))
    }
    expect(read('Asia/Tokyo')).toEqual(['2026-11-10T00:00:00.000Z', '2026-11-10T10:00:00.000Z', '2026-11-10T15:00:00.000Z', '2026-11-10T10:00:00.000Z'])
    expect(read('America/New_York')).toEqual(read('Asia/Tokyo'))
    expect(toFactTimestamp(new Date(Date.UTC(2026, 10, 10)))).toBe('2026-11-10T00:00:00.000Z')
  })
})

describe('isoTimestampOfMs', () => {
  it('writes what Date#toISOString writes, at any millisecond and across days, years and leap days', () => {
    const last = Date.UTC(9999, 11, 31, 23, 59, 59, 999)
    const edges = [0, 1, 999, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2024, 2, 1), Date.UTC(2000, 1, 29, 12), last]
    for (const ms of edges) expect(isoTimestampOfMs(ms)).toBe(new Date(ms).toISOString())
    // Times in order, as a host stamps them, and times in any order: the kept day must never leak.
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: last }), { minLength: 1, maxLength: 20 }), (times) => {
      for (const ms of [...times, ...times.map((t) => Math.min(last, t + 1))].sort((a, b) => a - b)) expect(isoTimestampOfMs(ms)).toBe(new Date(ms).toISOString())
      for (const ms of times) expect(isoTimestampOfMs(ms)).toBe(new Date(ms).toISOString())
    }), { numRuns: 500 })
  })

  it('leaves times before 1970, after 9999 and between milliseconds to Date', () => {
    for (const ms of [-1, -86_400_001, Date.UTC(10000, 0, 1), 1.5]) expect(isoTimestampOfMs(ms)).toBe(new Date(ms).toISOString())
  })
})

describe('the check of timestamps as the library writes them', () => {
  /** The check as it was written first, with a regular expression: the plain reference. */
  const reference = (text: string): string | undefined => {
    const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/.exec(text)
    if (match === null) return undefined
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [number, number, number, number, number, number]
    const days = new Date(Date.UTC(year, month, 0)).getUTCDate()
    return month >= 1 && month <= 12 && day >= 1 && day <= days && hour <= 23 && minute <= 59 && second <= 59 ? text : undefined
  }
  const outcome = (text: string): string => {
    try {
      return toIsoTimestamp(text)
    } catch {
      return 'refused'
    }
  }

  it('accepts exactly the strings the reference accepts, one character changed at a time', () => {
    const characters = fc.constantFrom(...'0123456789-:TZ.x ١'.split(''))
    fc.assert(fc.property(fc.integer({ min: 0, max: Date.UTC(9999, 11, 31) }), fc.nat(23), characters, (ms, at, character) => {
      const text = `${new Date(ms).toISOString().slice(0, at)}${character}${new Date(ms).toISOString().slice(at + 1)}`
      const expected = reference(text)
      if (expected !== undefined) expect(outcome(text)).toBe(expected)
      else expect(outcome(text)).not.toBe(text)
    }), { numRuns: 5000 })
  })
})
