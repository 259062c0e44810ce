import { afterEach, describe, expect, it } from 'vitest'
import { calendarDayIn, checkTimeZone, machineTimeZone, periodOfDay, readMachineTimeZone, utcOffsetProblem } from './calendar.js'

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
    for (const bad of ['Mars/Olympus', 'soon', '']) {
      expect(() => checkTimeZone(bad)).toThrow(`Invalid time zone "${bad}": use an IANA name such as Europe/Stockholm or America/New_York, UTC, or an offset such as +01:00.`)
    }
    // Clocks run from 12 hours behind UTC to 14 ahead, as --since's offsets do.
    expect([checkTimeZone('+14:00'), checkTimeZone('-12:00'), checkTimeZone('UTC-12')]).toEqual(['UTC+14:00', 'UTC-12:00', 'UTC-12:00'])
    const offsets: [string, string][] = [['+15:00', '+15:00'], ['+14:30', '+14:30'], ['+14:01', '+14:01'], ['-12:30', '-12:30'], ['-13:00', '-13:00'], ['UTC-14', '-14:00'], ['+05:60', '+05:60']]
    for (const [bad, written] of offsets) {
      expect(() => checkTimeZone(bad)).toThrow(`Invalid time zone "${bad}": the UTC offset ${written} does not exist; offsets run from -12:00 to +14:00 (or use an IANA name`)
    }
  })

  it('keeps an IANA name as given where the runtime knows the zone by an older name (Asia/Kathmandu, not Asia/Katmandu)', () => {
    expect([checkTimeZone('Asia/Kathmandu'), checkTimeZone('Europe/Kyiv'), checkTimeZone('Asia/Kolkata')]).toEqual(['Asia/Kathmandu', 'Europe/Kyiv', 'Asia/Kolkata'])
    expect(checkTimeZone('Etc/UTC')).toBe('UTC')
    // The name kept is one the runtime reads: a day in Kathmandu (UTC+05:45) begins at 18:15 UTC.
    expect(calendarDayIn('2026-06-15T18:14:00Z', checkTimeZone('Asia/Kathmandu'))).toBe('2026-06-15')
    expect(calendarDayIn('2026-06-15T18:15:00Z', checkTimeZone('Asia/Kathmandu'))).toBe('2026-06-16')
  })
})

describe('machineTimeZone', () => {
  const saved = process.env.TZ
  afterEach(() => {
    // Assigning undefined would set TZ to the string "undefined".
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  })

  it('reads TZ as a zone name or offset, with or without its leading colon', () => {
    expect(machineTimeZone('Europe/Berlin')).toBe('Europe/Berlin')
    expect(machineTimeZone(':america/new_york')).toBe('America/New_York')
    expect(machineTimeZone('+05:30')).toBe('UTC+05:30')
  })

  it('reads a TZ that is a zoneinfo file by the zone it is for, following a link through the caller', () => {
    expect(machineTimeZone(':/usr/share/zoneinfo/Asia/Tokyo')).toBe('Asia/Tokyo')
    expect(machineTimeZone('/usr/share/zoneinfo/posix/Europe/Berlin')).toBe('Europe/Berlin')
    const links = new Map([['/etc/localtime', '/usr/share/zoneinfo/America/Los_Angeles']])
    expect(machineTimeZone(':/etc/localtime', (path) => links.get(path))).toBe('America/Los_Angeles')
  })

  it('falls back to the zone the runtime reports, and to UTC where it reports none', () => {
    process.env.TZ = 'Asia/Tokyo'
    expect(machineTimeZone(undefined)).toBe('Asia/Tokyo')
    expect(machineTimeZone('')).toBe('Asia/Tokyo')
    // A TZ the runtime does not know leaves Intl without a zone (and the clock on UTC).
    process.env.TZ = 'Foo/Bar'
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBeUndefined()
    expect(machineTimeZone('Foo/Bar')).toBe('UTC')
    process.env.TZ = ':/etc/localtime'
    expect(machineTimeZone(':/etc/localtime', () => '/etc/localtime')).toBe('UTC')
  })

  it('names a POSIX rule the clock follows and Intl does not name by the clock\'s offset', () => {
    process.env.TZ = 'JST-9'
    expect(Intl.DateTimeFormat().resolvedOptions().timeZone).toBeUndefined()
    expect(machineTimeZone('JST-9')).toBe('UTC+09:00')
    process.env.TZ = 'ABC+5'
    expect(machineTimeZone('ABC+5')).toBe('UTC-05:00')
  })

  it('reads a POSIX rule named like UTC or GMT as POSIX does, hours west of UTC, as the clock keeps it (UTC-5 is five hours ahead)', () => {
    // As `TZ=… date +%z` prints them (+0500, -0300, -0530, +0545); Node's own clock agrees on whole hours.
    for (const [tz, zone] of [['UTC-5', 'UTC+05:00'], ['GMT+3', 'UTC-03:00'], ['UTC+05:30', 'UTC-05:30'], ['<+0545>-5:45', 'UTC+05:45']] as const) {
      process.env.TZ = tz
      expect([tz, machineTimeZone(tz)]).toEqual([tz, zone])
    }
    process.env.TZ = 'UTC-5'
    expect(new Date(Date.UTC(2026, 5, 15)).getTimezoneOffset()).toBe(-300)
    process.env.TZ = 'GMT+3'
    expect(new Date(Date.UTC(2026, 5, 15)).getTimezoneOffset()).toBe(180)
    // A rule with a daylight-saving part names a zone of its own.
    expect(machineTimeZone('EST5EDT')).toBe('EST5EDT')
  })
})

describe('readMachineTimeZone', () => {
  const saved = process.env.TZ
  afterEach(() => {
    if (saved === undefined) delete process.env.TZ
    else process.env.TZ = saved
  })

  it('reads a POSIX rule with daylight saving as the IANA zone that keeps its clock, and says so', () => {
    // What `date` reads as Central European Time, and JavaScript's clock as UTC.
    const cet = 'CET-1CEST,M3.5.0,M10.5.0/3'
    process.env.TZ = cet
    expect(readMachineTimeZone(cet)).toEqual({ zone: expect.stringMatching(/^Europe\//) as unknown, rule: cet })
    expect(calendarDayIn('2026-07-01T22:30:00.000Z', readMachineTimeZone(cet).zone)).toBe('2026-07-02')
    expect(calendarDayIn('2026-01-01T22:30:00.000Z', readMachineTimeZone(cet).zone)).toBe('2026-01-01')
  })

  it('says which TZ it could not read, and the zone it used instead, so that the caller can warn', () => {
    // A rule whose clock no zone keeps (an offset of 1:17).
    const odd = 'XXX-1:17YYY,M3.5.0,M10.5.0/3'
    process.env.TZ = odd
    expect(readMachineTimeZone(odd)).toMatchObject({ unread: odd })
    process.env.TZ = 'Foo/Bar'
    expect(readMachineTimeZone('Foo/Bar')).toEqual({ zone: 'UTC', unread: 'Foo/Bar' })
    process.env.TZ = '/home/me/not-a-zone'
    expect(readMachineTimeZone('/home/me/not-a-zone')).toMatchObject({ unread: '/home/me/not-a-zone' })
  })

  it('says nothing of a TZ it reads, nor of none', () => {
    for (const [tz, zone] of [['Europe/Berlin', 'Europe/Berlin'], ['UTC-5', 'UTC+05:00'], [':/usr/share/zoneinfo/Asia/Tokyo', 'Asia/Tokyo']] as const) {
      process.env.TZ = tz
      expect(readMachineTimeZone(tz)).toEqual({ zone })
    }
    process.env.TZ = 'Asia/Tokyo'
    expect(readMachineTimeZone(undefined)).toEqual({ zone: 'Asia/Tokyo' })
    expect(readMachineTimeZone('  ')).toEqual({ zone: 'Asia/Tokyo' })
  })
})

describe('the UTC offsets clocks use', () => {
  it('run from -12:00 to +14:00, whole minutes under 60; one beyond is said as written, with the range', () => {
    for (const [sign, hours, minutes] of [['-', 12, 0], ['+', 14, 0], ['+', 5, 45], ['-', 0, 0]] as const) expect(utcOffsetProblem(sign, hours, minutes)).toBeUndefined()
    expect(utcOffsetProblem('-', 12, 1)).toBe('the UTC offset -12:01 does not exist; offsets run from -12:00 to +14:00')
    expect(utcOffsetProblem('+', 14, 30)).toBe('the UTC offset +14:30 does not exist; offsets run from -12:00 to +14:00')
    expect(utcOffsetProblem('+', 2, 75)).toBe('the UTC offset +02:75 does not exist; offsets run from -12:00 to +14:00')
  })
})
