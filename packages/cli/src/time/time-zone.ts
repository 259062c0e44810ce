import { TIME_ZONE_FORMS, checkTimeZone, isTrackerError } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'

/**
 * The zone of `--timezone` wherever it appears (report windows and days, legacy times that carry
 * no zone): the flag, else `TZ` when it names a zone, else the machine's. Read by core's
 * `checkTimeZone`, the one reader of zones: IANA names, UTC, fixed offsets.
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
  const fromEnv = env.TZ?.replace(/^:/, '')
  if (fromEnv !== undefined && fromEnv !== '') {
    try {
      return checkTimeZone(fromEnv)
    } catch {
      // Not a zone name (e.g. a POSIX rule): the machine's zone below.
    }
  }
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}
