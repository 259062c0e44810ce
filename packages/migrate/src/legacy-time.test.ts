import { describe, expect, it } from 'vitest'
import { isMigrateError } from './errors.js'
import { resolveTimeZone } from './legacy-time.js'

const SIX_PM = { year: 2026, month: 2, day: 23, hour: 18, minute: 0, second: 0 }

describe('resolveTimeZone', () => {
  it('reads IANA names, UTC and fixed offsets, and names them canonically', () => {
    expect(resolveTimeZone('Europe/Stockholm').toUtc(SIX_PM)).toBe('2026-02-23T17:00:00.000Z')
    expect(resolveTimeZone('America/New_York').toUtc(SIX_PM)).toBe('2026-02-23T23:00:00.000Z')
    expect(resolveTimeZone('utc')).toMatchObject({ name: 'UTC' })
    expect(resolveTimeZone('UTC').toUtc(SIX_PM)).toBe('2026-02-23T18:00:00.000Z')
    expect(resolveTimeZone('+05:30')).toMatchObject({ name: 'UTC+05:30' })
    expect(resolveTimeZone('+05:30').toUtc(SIX_PM)).toBe('2026-02-23T12:30:00.000Z')
    expect(resolveTimeZone('UTC-3').toUtc(SIX_PM)).toBe('2026-02-23T21:00:00.000Z')
  })

  it('follows daylight saving time of the date itself', () => {
    expect(resolveTimeZone('Europe/Stockholm').toUtc({ ...SIX_PM, month: 7 })).toBe('2026-07-23T16:00:00.000Z')
  })

  it('rejects anything else, naming the value and what is accepted', () => {
    for (const bad of ['Mars/Olympus', '+15:00', 'soon']) {
      let error: unknown
      try {
        resolveTimeZone(bad)
      } catch (thrown) {
        error = thrown
      }
      expect(isMigrateError(error) && error.code).toBe('INVALID_TIME_ZONE')
      expect((error as Error).message).toBe(`Invalid time zone "${bad}": use an IANA name such as Europe/Stockholm or America/New_York, UTC, or an offset such as +01:00.`)
    }
  })
})
