import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'

const CANONICAL = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?$/

/**
 * Normalises an ISO 8601 date or date-time to UTC `YYYY-MM-DDTHH:mm:ss.sssZ`.
 * A date-time without a zone is read as local time; a bare date as UTC midnight.
 * @throws {TrackerError} INVALID_TIMESTAMP naming the value and the accepted forms.
 */
export function toIsoTimestamp(input: unknown, what = 'timestamp'): string {
  if (input instanceof Date && !Number.isNaN(input.getTime())) return input.toISOString()
  // Fast path for the form this library writes itself (hooks call this for every fact).
  if (typeof input === 'string' && isCanonicalTimestamp(input)) return input
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

/** True for a real UTC time written as `YYYY-MM-DDTHH:mm:ss.sssZ` (JavaScript engines roll Feb 30 over; this does not). */
function isCanonicalTimestamp(text: string): boolean {
  const match = CANONICAL.exec(text)
  if (match === null) return false
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  const hour = Number(match[4])
  const minute = Number(match[5])
  const second = Number(match[6])
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

function hasValidCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
  const probe = new Date(Date.UTC(year, month - 1, day))
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day
}
