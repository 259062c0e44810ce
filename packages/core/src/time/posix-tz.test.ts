import { describe, expect, it } from 'vitest'
import { ianaZoneOfRule, parsePosixRule, posixChanges, posixOffsetAt } from './posix-tz.js'

const CET = 'CET-1CEST,M3.5.0,M10.5.0/3'

describe('a POSIX TZ rule with daylight saving', () => {
  it('is read with its offsets east of UTC, and only when it has a summer part and is well formed', () => {
    expect(parsePosixRule(CET)).toMatchObject({ standard: 60, summer: 120 })
    expect(parsePosixRule('<+1030>-10:30<+11>-11,M10.1.0,M4.1.0')).toMatchObject({ standard: 630, summer: 660 })
    expect(parsePosixRule('EST5EDT')).toMatchObject({ standard: -300, summer: -240 })
    for (const other of ['JST-9', 'Europe/Berlin', 'UTC+3', 'CET-1CEST,M13.5.0,M10.5.0', 'CET-1CEST,M3.5.0', 'CET-1CEST,J366,J10', '']) expect(parsePosixRule(other)).toBeUndefined()
  })

  it('changes the clock when date does: the last Sundays of March and October in Europe, at 01:00 UTC', () => {
    const rule = parsePosixRule(CET)
    if (rule === undefined) throw new Error('not read')
    // As `TZ=CET-1CEST,M3.5.0,M10.5.0/3 date -d @…` shows: 2026-03-29 02:00 CET → 03:00 CEST, 2026-10-25 03:00 CEST → 02:00 CET.
    expect(posixChanges(rule, 2026)).toEqual({ start: Date.UTC(2026, 2, 29, 1), end: Date.UTC(2026, 9, 25, 1) })
    expect([Date.UTC(2026, 2, 29, 0, 59), Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 0, 59), Date.UTC(2026, 9, 25, 1)].map((ms) => posixOffsetAt(rule, ms))).toEqual([60, 120, 120, 60])
  })

  it('keeps summer time across the new year in the south, and reads Jn (no February 29th) and zero-based days', () => {
    const sydney = parsePosixRule('AEST-10AEDT,M10.1.0,M4.1.0/3')
    if (sydney === undefined) throw new Error('not read')
    expect([Date.UTC(2026, 0, 15), Date.UTC(2026, 6, 15), Date.UTC(2026, 11, 15)].map((ms) => posixOffsetAt(sydney, ms))).toEqual([660, 600, 660])
    const julian = parsePosixRule('AAA3BBB,J60/0,J300/0')
    const zeroBased = parsePosixRule('AAA3BBB,59/0,300/0')
    if (julian === undefined || zeroBased === undefined) throw new Error('not read')
    // J60 is March 1st in any year; day 59 (from 0) is February 29th in a leap year.
    expect(posixChanges(julian, 2028).start).toBe(Date.UTC(2028, 2, 1, 3))
    expect(posixChanges(zeroBased, 2028).start).toBe(Date.UTC(2028, 1, 29, 3))
  })

  it('is matched to the IANA zone that keeps the same clock around now; none for a clock no zone keeps', () => {
    const now = new Date(Date.UTC(2026, 5, 1))
    const rule = (tz: string) => {
      const read = parsePosixRule(tz)
      if (read === undefined) throw new Error(`${tz} not read`)
      return read
    }
    const cet = ianaZoneOfRule(rule(CET), now, ['Asia/Tokyo', 'Europe/London', 'Europe/Berlin', 'Africa/Ceuta'])
    expect(cet).toBe('Europe/Berlin')
    expect(ianaZoneOfRule(rule('PST8PDT,M3.2.0,M11.1.0'), now, ['America/Denver', 'America/Los_Angeles'])).toBe('America/Los_Angeles')
    // Summer time in the wrong months for Berlin, and an offset no zone has.
    expect(ianaZoneOfRule(rule('CET-1CEST,M4.1.0,M9.1.0'), now, ['Europe/Berlin', 'Europe/Paris'])).toBeUndefined()
    expect(ianaZoneOfRule(rule('XXX-1:17YYY,M3.5.0,M10.5.0/3'), now)).toBeUndefined()
    // Among every zone the runtime knows, one of Europe's.
    expect(ianaZoneOfRule(rule(CET), now)).toMatch(/^Europe\//)
  })
})
