import { describeValue } from './describe-value.js'
import { TrackerError } from './errors.js'

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/

/**
 * Normalises an ISO 8601 date or date-time to UTC `YYYY-MM-DDTHH:mm:ss.sssZ`.
 * A date-time without a zone is read as local time; a bare date as UTC midnight.
 * @throws {TrackerError} INVALID_TIMESTAMP naming the value and the accepted forms.
 */
export function toIsoTimestamp(input: unknown, what = 'timestamp'): string {
  if (input instanceof Date && !Number.isNaN(input.getTime())) return input.toISOString()
  if (typeof input === 'string') {
    const text = input.trim()
    if (ISO_DATE.test(text) || ISO_DATE_TIME.test(text)) {
      const date = new Date(text)
      if (!Number.isNaN(date.getTime()) && hasValidCalendarDate(text)) return date.toISOString()
    }
  }
  throw new TrackerError(
    'INVALID_TIMESTAMP',
    `Invalid ${what} ${describeValue(input)}: use an ISO 8601 date (2026-02-23) or date-time (2026-02-23T18:00:00Z, 2026-02-23T18:00:00+02:00).`,
  )
}

/** The UTC calendar day (`YYYY-MM-DD`) of a normalised timestamp. */
export function dayOf(isoTimestamp: string): string {
  return isoTimestamp.slice(0, 10)
}

function hasValidCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
  const probe = new Date(Date.UTC(year, month - 1, day))
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day
}
