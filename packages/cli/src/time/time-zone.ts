import { TIME_ZONE_FORMS, checkTimeZone, isTrackerError, machineTimeZone } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'
import { realPath } from '../io.js'

/**
 * The zone of `--timezone` wherever it appears (report windows and days, legacy times that carry
 * no zone): the flag, else the machine's (see core's `machineTimeZone`: `TZ` when it names a zone
 * or a zoneinfo file, else the runtime's, else UTC). Read by core's `checkTimeZone`, the one
 * reader of zones: IANA names, UTC, fixed offsets.
 * @throws {CliError} INVALID_OPTION (usage) for a `--timezone` it does not accept.
 */
export function resolveTimeZone(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  if (flag !== undefined) {
    try {
      return checkTimeZone(flag)
    } catch (error) {
      if (!isTrackerError(error)) throw error
      throw new CliError('INVALID_OPTION', `Invalid --timezone "${flag}": use ${TIME_ZONE_FORMS}.`, EXIT.usage, { cause: error })
    }
  }
  return machineTimeZone(env.TZ, realPath)
}
