import type { RecordQuery } from '../store/tracker-store.js'
import { toIsoTimestamp } from './iso-timestamp.js'

const BARE_DATE = /^\s*\d{4}-\d{2}-\d{2}\s*$/

/**
 * Turns user-facing `--since/--until` into a query window. A bare `--until` date includes that
 * whole day (the window ends at the next midnight, UTC); date-times are taken as given.
 * @throws {TrackerError} INVALID_TIMESTAMP naming the flag and the accepted forms.
 */
export function toTimeWindow(range: { readonly since?: string | undefined; readonly until?: string | undefined }): Pick<RecordQuery, 'since' | 'until'> {
  const since = range.since === undefined ? undefined : toIsoTimestamp(range.since, '--since')
  let until = range.until === undefined ? undefined : toIsoTimestamp(range.until, '--until')
  if (until !== undefined && range.until !== undefined && BARE_DATE.test(range.until)) {
    until = new Date(Date.parse(until) + 86_400_000).toISOString()
  }
  return { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }) }
}
