import { realpathSync } from 'node:fs'
import { TZDate } from '@date-fns/tz'
import { TIME_ZONE_FORMS, checkTimeZone, isTrackerError, machineTimeZone as zoneOfMachine } from '@agent-tracker/core'
import { MigrateError } from './errors.js'

/**
 * The time zone legacy times written without one (`2026-02-23T18:00:00`, a journal's `## 18:00`)
 * are read in. Fixed: reading the same file in two zones would make two different instants.
 */
export interface LegacyTimeZone {
  /** An IANA name (`Europe/Stockholm`, `UTC`) or a fixed offset (`UTC+01:00`), as core's `checkTimeZone` spells it. */
  readonly name: string
  /** The UTC instant of a wall-clock time in this zone, as an ISO timestamp. */
  toUtc(local: LocalDateTime): string
}

/** A wall-clock date and time. Month 1–12. */
export interface LocalDateTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millisecond?: number
}

/**
 * The machine's own time zone (what `--timezone` defaults to): `TZ` when it names a zone or a
 * zoneinfo file (`:/etc/localtime` followed to its zone), else the runtime's, else UTC (see core's
 * `machineTimeZone`).
 */
export function machineTimeZone(): string {
  return zoneOfMachine(process.env.TZ, (path) => {
    try {
      return realpathSync(path)
    } catch {
      return undefined
    }
  })
}

/**
 * Reads a time zone (see core's `checkTimeZone`: an IANA name such as `Europe/Stockholm`, `UTC`,
 * or a fixed offset such as `+01:00`, `-0530` or `UTC+2`); default the machine's zone. Wall-clock
 * times are turned into instants by `@date-fns/tz`, with the zone's offset on that date (daylight
 * saving time included).
 * @throws {MigrateError} INVALID_TIME_ZONE naming the value and what is accepted.
 */
export function resolveTimeZone(input: string = machineTimeZone()): LegacyTimeZone {
  let name: string
  try {
    name = checkTimeZone(input)
  } catch (error) {
    if (!isTrackerError(error)) throw error
    throw new MigrateError('INVALID_TIME_ZONE', `Invalid time zone "${input}": use ${TIME_ZONE_FORMS}.`, { cause: error })
  }
  return {
    name,
    toUtc: (local) => new Date(new TZDate(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond ?? 0, name).getTime()).toISOString(),
  }
}
