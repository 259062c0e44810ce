import { describe, expect, it } from 'vitest'
import { calendarDayIn, checkTimeZone, periodOfDay } from './calendar.js'

describe('calendar days and periods in a time zone', () => {
  it('puts an instant on the day it falls on in the zone', () => {
    expect(calendarDayIn('2026-03-01T23:30:00.000Z', 'UTC')).toBe('2026-03-01')
    expect(calendarDayIn('2026-03-01T23:30:00.000Z', 'Europe/Berlin')).toBe('2026-03-02')
    expect(calendarDayIn('2026-03-02T03:00:00.000Z', 'America/Los_Angeles')).toBe('2026-03-01')
    expect(calendarDayIn('2026-03-01T18:45:00.000Z', 'Asia/Kathmandu')).toBe('2026-03-02')
    expect(calendarDayIn('2026-03-01T18:30:00.000Z', 'UTC+05:30')).toBe('2026-03-02')
    expect(calendarDayIn('2026-03-01T18:29:00.000Z', 'UTC+05:30')).toBe('2026-03-01')
    expect(calendarDayIn('2026-03-02T02:59:00.000Z', 'UTC-03:00')).toBe('2026-03-01')
  })

  it('gives the Monday of the week and the month', () => {
    expect(periodOfDay('2026-03-08', 'week')).toBe('2026-03-02')
    expect(periodOfDay('2026-03-09', 'week')).toBe('2026-03-09')
    expect(periodOfDay('2026-01-01', 'week')).toBe('2025-12-29')
    expect(periodOfDay('2026-03-08', 'month')).toBe('2026-03')
    expect(periodOfDay('2026-03-08', 'day')).toBe('2026-03-08')
  })

  it('accepts IANA names, UTC and fixed offsets, in canonical spelling, and rejects anything else, naming what is accepted', () => {
    expect(checkTimeZone('europe/berlin')).toBe('Europe/Berlin')
    expect(checkTimeZone('UTC')).toBe('UTC')
    expect(checkTimeZone('gmt')).toBe('UTC')
    expect(checkTimeZone('Z')).toBe('UTC')
    expect(checkTimeZone('+05:30')).toBe('UTC+05:30')
    expect(checkTimeZone('-0530')).toBe('UTC-05:30')
    expect(checkTimeZone('UTC+2')).toBe('UTC+02:00')
    expect(checkTimeZone('+00:00')).toBe('UTC')
    for (const bad of ['Mars/Olympus', '+15:00', '+14:30', 'soon', '']) {
      expect(() => checkTimeZone(bad)).toThrow(`Invalid time zone "${bad}": use an IANA name such as Europe/Stockholm or America/New_York, UTC, or an offset such as +01:00.`)
    }
  })
})
