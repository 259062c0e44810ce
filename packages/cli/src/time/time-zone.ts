import { checkTimeZone, isTrackerError } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'

/**
 * The zone dates are read and days counted in: `--timezone`, else `TZ` when it names a zone, else
 * the machine's.
 * @throws {CliError} INVALID_OPTION (usage) for a `--timezone` that is not an IANA zone.
 */
export function resolveTimeZone(flag: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  if (flag !== undefined) {
    try {
      return checkTimeZone(flag)
    } catch (error) {
      if (!isTrackerError(error)) throw error
      throw new CliError('INVALID_OPTION', `Invalid --timezone "${flag}": use an IANA zone such as Europe/Berlin, America/New_York or UTC.`, EXIT.usage, { cause: error })
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
