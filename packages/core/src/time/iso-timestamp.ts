import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'

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

/** A date-time that says no zone: `2026-02-23T18:00` or `2026-02-23T18:00:00.5`. */
const ZONELESS_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/

/**
 * A stored fact's time (a fact's `at`), normalised as {@link toIsoTimestamp} does, but a date-time
 * must say its zone (`Z` or `±hh:mm`): read in the machine's zone, the same line sent from
 * machines in two zones would be two facts at two times. A bare date is midnight UTC anywhere.
 * @throws {TrackerError} INVALID_TIMESTAMP naming the value and the accepted forms.
 */
export function toFactTimestamp(input: unknown, what = 'timestamp'): string {
  if (typeof input === 'string' && !isCanonicalTimestamp(input) && ZONELESS_DATE_TIME.test(input.trim())) {
    throw new TrackerError(
      'INVALID_TIMESTAMP',
      `Invalid ${what} ${describeValue(input)}: a date-time needs its zone, Z (UTC) or an offset ±hh:mm, as in ${input.trim()}Z or ${input.trim()}+02:00; a stored time is not read in the zone of the machine that reads it (a bare date, 2026-02-23, is midnight UTC).`,
    )
  }
  return toIsoTimestamp(input, what)
}

/** The UTC calendar day (`YYYY-MM-DD`) of a normalised timestamp. */
export function dayOf(isoTimestamp: string): string {
  return isoTimestamp.slice(0, 10)
}

/**
 * True for a real UTC time written as `YYYY-MM-DDTHH:mm:ss.sssZ` (JavaScript engines roll Feb 30
 * over; this does not). Read by character codes: every fact's time passes here, on the hook path.
 */
export function isCanonicalTimestamp(text: string): boolean {
  if (text.length !== 24) return false
  for (const [at, code] of SEPARATORS) if (text.charCodeAt(at) !== code) return false
  const year = digitsAt(text, 0, 4)
  const month = digitsAt(text, 5, 2)
  const day = digitsAt(text, 8, 2)
  const hour = digitsAt(text, 11, 2)
  const minute = digitsAt(text, 14, 2)
  const second = digitsAt(text, 17, 2)
  if (year < 0 || hour < 0 || minute < 0 || second < 0 || digitsAt(text, 20, 3) < 0) return false
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59
}

/** Where `YYYY-MM-DDTHH:mm:ss.sssZ` has its separators, and their character codes. */
const SEPARATORS: readonly (readonly [number, number])[] = [[4, 0x2d], [7, 0x2d], [10, 0x54], [13, 0x3a], [16, 0x3a], [19, 0x2e], [23, 0x5a]]

/** The number written by `count` ASCII digits from `from`, or -1 when any is not a digit. */
function digitsAt(text: string, from: number, count: number): number {
  let value = 0
  for (let index = from; index < from + count; index++) {
    const digit = text.charCodeAt(index) - 0x30
    if (digit < 0 || digit > 9) return -1
    value = value * 10 + digit
  }
  return value
}

/**
 * `new Date(ms).toISOString()` for a time in years 1970–9999, about five times faster: the day's
 * `YYYY-MM-DDT` is kept from the last call, and the time of day is written out. A host stamps every
 * fact with it.
 */
export function isoTimestampOfMs(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0 || ms > LAST_MS) return new Date(ms).toISOString()
  const day = Math.floor(ms / DAY_MS)
  if (day !== lastDay) {
    lastDay = day
    lastDayPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11)
  }
  let rest = ms - day * DAY_MS
  const hour = Math.floor(rest / 3_600_000)
  rest -= hour * 3_600_000
  const minute = Math.floor(rest / 60_000)
  rest -= minute * 60_000
  const second = Math.floor(rest / 1000)
  const milli = rest - second * 1000
  return `${lastDayPrefix}${two(hour)}:${two(minute)}:${two(second)}.${milli < 10 ? '00' : milli < 100 ? '0' : ''}${String(milli)}Z`
}

const DAY_MS = 86_400_000
/** 9999-12-31T23:59:59.999Z: later years are written with six digits and a sign. */
const LAST_MS = 253_402_300_799_999
let lastDay = Number.NaN
let lastDayPrefix = ''

function two(value: number): string {
  return value < 10 ? `0${String(value)}` : String(value)
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/**
 * True when the `YYYY-MM-DD` that `text` begins with names a day of the calendar: not 2026-02-30,
 * which `Date.parse` reads as 2026-03-02, nor a 13th month.
 */
export function hasValidCalendarDate(text: string): boolean {
  const [year, month, day] = text.slice(0, 10).split('-').map(Number) as [number, number, number]
  const probe = new Date(Date.UTC(year, month - 1, day))
  return probe.getUTCMonth() === month - 1 && probe.getUTCDate() === day
}
