import { describe, expect, it } from 'vitest'
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
    for (const days of ['0', '-3', '2.5', 'week']) expect(() => berlin({ days })).toThrow(`Invalid --days "${days}"`)
  })

  it('is all time, with no description, when no flag is given', () => {
    expect(utc({})).toEqual({ timeZone: 'UTC', description: '' })
  })
})
