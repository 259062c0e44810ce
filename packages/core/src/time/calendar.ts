import { TrackerError } from '../errors.js'

/** Calendar periods reports group by. */
export type CalendarPeriod = 'day' | 'week' | 'month'

const formats = new Map<string, Intl.DateTimeFormat>()
const days = new Map<string, string>()

/**
 * Checks an IANA time zone name (`Europe/Berlin`, `UTC`) and gives it in its canonical spelling.
 * @throws {TrackerError} INVALID_QUERY naming the value and what is accepted.
 */
export function checkTimeZone(timeZone: string): string {
  return formatOf(timeZone).resolvedOptions().timeZone
}

/** The calendar day (`YYYY-MM-DD`) an ISO timestamp falls on in a time zone. */
export function calendarDayIn(isoTimestamp: string, timeZone: string): string {
  // Records come in bursts: the same minute recurs, and no zone changes its offset within a minute.
  const key = `${timeZone} ${isoTimestamp.slice(0, 16)}`
  let day = days.get(key)
  if (day === undefined) {
    const parts = Object.fromEntries(formatOf(timeZone).formatToParts(new Date(isoTimestamp)).map((part) => [part.type, part.value]))
    day = `${parts.year ?? '0000'}-${parts.month ?? '01'}-${parts.day ?? '01'}`
    if (days.size > 50_000) days.clear()
    days.set(key, day)
  }
  return day
}

/** The period a calendar day belongs to: the day itself, the Monday of its week, or its month (`YYYY-MM`). */
export function periodOfDay(day: string, period: CalendarPeriod): string {
  if (period === 'day') return day
  if (period === 'month') return day.slice(0, 7)
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number)
  const utc = new Date(Date.UTC(year, month - 1, date))
  return new Date(utc.getTime() - ((utc.getUTCDay() + 6) % 7) * 86_400_000).toISOString().slice(0, 10)
}

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone)
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    } catch (error) {
      throw new TrackerError('INVALID_QUERY', `Invalid time zone "${timeZone}": use an IANA name such as Europe/Berlin or America/New_York, or UTC.`, { cause: error })
    }
    formats.set(timeZone, format)
  }
  return format
}
