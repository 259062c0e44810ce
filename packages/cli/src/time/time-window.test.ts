import { describe, expect, it } from 'vitest'
import { checkTimeZone } from '@agent-tracker/core'
import { resolveWindow } from './time-window.js'

// A Sunday afternoon in Berlin, 15:00 local (CEST, UTC+2).
const now = new Date('2026-10-18T13:00:00.000Z')
const berlin = (flags: Parameters<typeof resolveWindow>[0]) => resolveWindow(flags, { timeZone: 'Europe/Berlin', now })
const utc = (flags: Parameters<typeof resolveWindow>[0]) => resolveWindow(flags, { timeZone: 'UTC', now })

describe('resolveWindow', () => {
  it('reads ISO dates and YYYYMMDD as days in the zone, a bare --until including its whole day', () => {
    expect(berlin({ since: '2026-10-15', until: '2026-10-16' })).toEqual({
      since: '2026-10-14T22:00:00.000Z', until: '2026-10-16T22:00:00.000Z', timeZone: 'Europe/Berlin', description: '2026-10-15 – 2026-10-16 (Europe/Berlin)',
    })
    expect(berlin({ since: '20261015' }).since).toBe('2026-10-14T22:00:00.000Z')
    expect(utc({ since: '20261015', until: '20261015' })).toMatchObject({ since: '2026-10-15T00:00:00.000Z', until: '2026-10-16T00:00:00.000Z' })
  })

  it('reads date-times as wall time in the zone unless they carry one', () => {
    expect(berlin({ since: '2026-10-15T09:30' }).since).toBe('2026-10-15T07:30:00.000Z')
    expect(berlin({ since: '2026-10-15T09:30Z' }).since).toBe('2026-10-15T09:30:00.000Z')
    expect(berlin({ until: '2026-10-15T09:30:00+05:00' }).until).toBe('2026-10-15T04:30:00.000Z')
  })

  it('reads today, yesterday and times back from now, counting today as the first day', () => {
    expect(berlin({ since: 'today' }).since).toBe('2026-10-17T22:00:00.000Z')
    expect(berlin({ since: 'yesterday', until: 'yesterday' })).toMatchObject({ since: '2026-10-16T22:00:00.000Z', until: '2026-10-17T22:00:00.000Z', description: '2026-10-17 – 2026-10-17 (Europe/Berlin)' })
    expect(berlin({ since: '7d' })).toMatchObject({ since: '2026-10-11T22:00:00.000Z', description: '2026-10-12 – now (Europe/Berlin)' })
    expect(berlin({ days: '7' }).since).toBe(berlin({ since: '7d' }).since)
    expect(berlin({ since: '1d' }).since).toBe(berlin({ since: 'today' }).since)
    expect(berlin({ since: '4w' }).since).toBe('2026-09-20T22:00:00.000Z')
    expect(berlin({ since: '3m' }).since).toBe('2026-07-18T22:00:00.000Z')
    expect(berlin({ since: '12h' })).toMatchObject({ since: '2026-10-18T01:00:00.000Z', description: '2026-10-18 03:00 – now (Europe/Berlin)' })
    // The 7 days before the last 7.
    expect(berlin({ since: '14d', until: '7d' })).toMatchObject({ since: '2026-10-04T22:00:00.000Z', until: '2026-10-11T22:00:00.000Z' })
  })

  it('crosses a daylight-saving change by calendar days, not by 24-hour steps', () => {
    // Berlin left summer time on 2026-10-25; a week back from 2026-10-27 starts at midnight CEST.
    expect(resolveWindow({ since: '7d' }, { timeZone: 'Europe/Berlin', now: new Date('2026-10-27T12:00:00.000Z') }).since).toBe('2026-10-20T22:00:00.000Z')
  })

  it('starts every day at its own start in a zone whose clocks skip midnight (Santiago began 2026-09-06 at 01:00)', () => {
    const santiago = (flags: Parameters<typeof resolveWindow>[0], at = now) => resolveWindow(flags, { timeZone: 'America/Santiago', now: at })
    // 2026-09-06 runs from 01:00 (UTC−4 before, 04:00Z) to the next midnight (UTC−3, 03:00Z).
    expect(santiago({ since: '2026-09-06', until: '2026-09-06' })).toMatchObject({ since: '2026-09-06T04:00:00.000Z', until: '2026-09-07T03:00:00.000Z', description: '2026-09-06 – 2026-09-06 (America/Santiago)' })
    const sunday = new Date('2026-09-06T18:00:00.000Z')
    expect(santiago({ since: 'yesterday', until: 'yesterday' }, sunday)).toMatchObject({ since: '2026-09-05T04:00:00.000Z', until: '2026-09-06T04:00:00.000Z', description: '2026-09-05 – 2026-09-05 (America/Santiago)' })
    for (const flags of [{ days: '2' }, { since: '2d' }]) expect(santiago(flags, sunday)).toMatchObject({ since: '2026-09-05T04:00:00.000Z', description: '2026-09-05 – now (America/Santiago)' })
    expect(santiago({ since: '1w' }, new Date('2026-09-09T18:00:00.000Z')).since).toBe('2026-09-03T04:00:00.000Z')
    expect(santiago({ since: '1m' }, new Date('2026-10-06T18:00:00.000Z')).since).toBe('2026-09-07T03:00:00.000Z')
  })

  it.each([
    ['garbage', '--since'], ['03/02/2026', '--since'], ['2026-02-30', '--since'], ['20261301', '--since'], ['7x', '--since'], ['', '--since'], ['2026-10-15T25:00', '--since'],
  ])('rejects --since %j as a usage error naming the accepted forms', (value, flag) => {
    expect(() => berlin({ since: value })).toThrow(`Invalid ${flag} "${value}": use a date (2026-10-15 or 20261015), a date-time`)
    try {
      berlin({ since: value })
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_OPTION', exitCode: 2 })
    }
  })

  it('rejects an empty window, --days with --since, and a --days that is not a whole number from 1', () => {
    expect(() => berlin({ since: '2026-10-20', until: '2026-10-15' })).toThrow('The window is empty: --since 2026-10-20 is not before --until 2026-10-15')
    expect(() => berlin({ since: '2026-10-15T10:00', until: '2026-10-15T10:00' })).toThrow('The window is empty')
    expect(() => berlin({ days: 7, since: '2026-10-01' })).toThrow('--days and --since both set where the window starts')
    // --days counts back from today: with an --until before that, the advice is not to swap them.
    expect(() => berlin({ days: '3', until: '2026-10-01' })).toThrow('The window is empty: --days 3 starts 2026-10-15T22:00:00.000Z, the last 3 days up to today, which is not before --until 2026-10-01 (2026-10-01T22:00:00.000Z). --days counts back from today: for days that end earlier, give --since and --until.')
    for (const days of ['0', '-3', '2.5', 'week', '1e3', '0x10', ' 7', '+7', '36601']) expect(() => berlin({ days })).toThrow(`Invalid --days "${days}": a whole number of days from 1 to 36600 (about 100 years), written in plain digits`)
    expect(berlin({ days: '36600' }).since).toBe(berlin({ since: '36600d' }).since)
  })

  it('rejects a --since after now without --until as an empty window', () => {
    expect(() => berlin({ since: '2030-01-01' })).toThrow('The window is empty: --since 2030-01-01 (2029-12-31T23:00:00.000Z) is after now (2026-10-18T13:00:00.000Z), and without --until the window ends now.')
    expect(() => berlin({ since: '2026-10-18T15:01' })).toThrow('The window is empty')
    expect(berlin({ since: '2026-10-18T15:00' }).since).toBe('2026-10-18T13:00:00.000Z')
    expect(berlin({ since: '2030-01-01', until: '2030-02-01' }).since).toBe('2029-12-31T23:00:00.000Z')
  })

  it('refuses UTC offsets that do not exist, a count of 0, and a start more than 100 years back, naming the limit', () => {
    for (const since of ['2026-10-01T09:00+25:00', '2026-10-01T09:00-13:00', '2026-10-01T09:00+14:30', '2026-10-01T09:00+02:75']) {
      expect(() => berlin({ since }), since).toThrow(`Invalid --since "${since}": the UTC offset`)
    }
    expect(() => berlin({ since: '2026-10-01T09:00+25:00' })).toThrow('Invalid --since "2026-10-01T09:00+25:00": the UTC offset +25:00 does not exist; offsets run from -12:00 to +14:00 (or give Z for UTC).')
    // --timezone holds an offset to the same range, and says it the same way.
    expect(() => berlin({ since: '2026-10-01T09:00+14:30' })).toThrow('the UTC offset +14:30 does not exist; offsets run from -12:00 to +14:00')
    expect(() => checkTimeZone('+14:30')).toThrow('Invalid time zone "+14:30": the UTC offset +14:30 does not exist; offsets run from -12:00 to +14:00')
    expect(berlin({ since: '2026-10-01T09:00+14:00' }).since).toBe('2026-09-30T19:00:00.000Z')
    expect(berlin({ since: '2026-10-01T09:00-12:00' }).since).toBe('2026-10-01T21:00:00.000Z')
    for (const since of ['0d', '0h', '0y']) expect(() => berlin({ since }), since).toThrow(`Invalid --since "${since}": a time back from now counts from 1`)
    for (const since of ['99999y', '101y', '0001-01-01', '999999999d']) expect(() => berlin({ since }), since).toThrow(`Invalid --since "${since}": a window starts at most 36600 days back (about 100 years: --days 36600, 36600d, 100y); for all time, leave --since and --days out.`)
    expect(berlin({ since: '100y' }).since).toBe('1926-10-18T23:00:00.000Z')
  })

  it('is all time, with no description, when no flag is given', () => {
    expect(utc({})).toEqual({ timeZone: 'UTC', description: '' })
  })
})
