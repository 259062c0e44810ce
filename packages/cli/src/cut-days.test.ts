import { describe, expect, it } from 'vitest'
import { zonedPeriodsNote } from './cut-days.js'

describe('the note on periods of a time zone', () => {
  const now = new Date('2026-12-01T12:00:00.000Z')

  it('is given for days, weeks and months of a zone whose days are not UTC days, part of the year or all of it', () => {
    for (const zone of ['Asia/Tokyo', 'Europe/London', 'UTC+02:00', 'America/Los_Angeles']) {
      expect(zonedPeriodsNote('day', zone, now), zone).toContain(`each UTC day counts whole in the day of ${zone} its noon (UTC) falls in`)
    }
    expect(zonedPeriodsNote('month', 'Asia/Tokyo', now)).toContain('in the month of Asia/Tokyo')
  })

  it('is not given for a zone at UTC all year, by any name, nor for groupings that are no periods', () => {
    for (const zone of ['UTC', 'Etc/UTC', 'Etc/UCT', 'Etc/Zulu', 'GMT', 'Africa/Abidjan']) expect(zonedPeriodsNote('day', zone, now), zone).toBeUndefined()
    for (const by of ['project', 'agent']) expect(zonedPeriodsNote(by, 'Asia/Tokyo', now), by).toBeUndefined()
  })
})
