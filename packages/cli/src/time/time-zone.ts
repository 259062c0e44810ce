import { TIME_ZONE_FORMS, checkTimeZone, isTrackerError, readMachineTimeZone } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'
import { realPath } from '../io.js'

/**
 * The zone of `--timezone` wherever it appears (report windows and days, legacy times that carry
 * no zone): the flag, else the machine's (see core's `machineTimeZone`: `TZ` when it names a zone
 * or a zoneinfo file, else the runtime's, else UTC). Read by core's `checkTimeZone`, the one
 * reader of zones: IANA names, UTC, fixed offsets. A `TZ` that names no zone it reads (an unknown
 * name, a POSIX rule no zone keeps) is told of through `tell.warn`, naming it and the zone used
 * instead: it is not silently taken for UTC. A POSIX rule with daylight saving that an IANA zone
 * keeps (`CET-1CEST,M3.5.0,M10.5.0/3`) is read as that zone, and `tell.note` says which.
 * @throws {CliError} INVALID_OPTION (usage) for a `--timezone` it does not accept.
 */
export function resolveTimeZone(flag: string | undefined, env: Readonly<Record<string, string | undefined>>, tell: { readonly warn: (message: string) => void; readonly note: (message: string) => void } = { warn: () => undefined, note: () => undefined }): string {
  if (flag !== undefined) {
    try {
      return checkTimeZone(flag)
    } catch (error) {
      if (!isTrackerError(error)) throw error
      throw new CliError('INVALID_OPTION', `Invalid --timezone "${flag}": use ${TIME_ZONE_FORMS}.`, EXIT.usage, { cause: error })
    }
  }
  const machine = readMachineTimeZone(env.TZ, realPath)
  if (machine.unread !== undefined) tell.warn(unreadTzWarning(machine.unread, machine.zone))
  if (machine.rule !== undefined) tell.note(`TZ=${machine.rule} is read as ${machine.zone}, which changes its clocks at the same times in the years around now (set TZ to the zone's IANA name, or give --timezone, to name another).`)
  return machine.zone
}

/** The warning for a `TZ` that names no zone agent-tracker reads: what it is, what is used instead, and what to set. */
export function unreadTzWarning(tz: string, used: string): string {
  const rule = tz.includes(',') || /^[A-Za-z]{3,}[+-]?\d/.test(tz) ? ' (a POSIX rule whose clock changes no IANA zone keeps in the years around now)' : ''
  return `TZ=${tz} names no time zone agent-tracker reads${rule}: days are counted and dates read in ${used} instead. Set TZ to an IANA name (TZ=Europe/Berlin) or give --timezone (${TIME_ZONE_FORMS}).`
}
