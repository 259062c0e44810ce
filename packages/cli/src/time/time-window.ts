import { TZDate, tz } from '@date-fns/tz'
// One module per function: the package's index would load all of date-fns's ~300 modules at start-up.
import { addDays } from 'date-fns/addDays'
import { isValid } from 'date-fns/isValid'
import { parseISO } from 'date-fns/parseISO'
import { startOfDay } from 'date-fns/startOfDay'
import { subDays } from 'date-fns/subDays'
import { subHours } from 'date-fns/subHours'
import { subMonths } from 'date-fns/subMonths'
import { subYears } from 'date-fns/subYears'
import { CliError, EXIT } from '../cli-error.js'

/** The window flags `report`, `agents`, `export` and `history` take, as typed. */
export interface WindowFlags {
  readonly since?: string | undefined
  readonly until?: string | undefined
  readonly days?: string | number | undefined
}

/** A window resolved to UTC instants (`since` inclusive, `until` exclusive), and how to say it. */
export interface ResolvedWindow {
  readonly since?: string
  readonly until?: string
  readonly timeZone: string
  /** e.g. `2026-10-15 – 2026-10-21 (Europe/Berlin)`; empty for all time. */
  readonly description: string
}

/** What `--since`/`--until` accept, for help texts and errors. */
export const WINDOW_FORMS = 'a date (2026-10-15 or 20261015), a date-time (2026-10-15T09:00, with Z or +02:00 for another zone), or a time back from now (today, yesterday, 12h, 7d, 4w, 3m, 1y)'

const RELATIVE = /^(\d{1,4})\s*(h|d|w|m|y)$/i

interface Point {
  readonly at: Date
  /** A whole day was named: as `--until`, the window ends after it. */
  readonly day: boolean
}

/**
 * Resolves the window flags in a time zone at `now`. Dates are days in the zone; `Nd` (and `--days N`)
 * is the last N days including today, `Nw` the last N weeks of days, `Nm`/`Ny` from the same day N
 * months or years back; `Nh` is N hours before now. As `--until`, a day or a relative time ends the
 * window at the start of the next day (a relative one at the start of the window it would begin).
 * @throws {CliError} INVALID_OPTION (usage) naming the flag, the value and the accepted forms; or
 *   when `--days` and `--since` are both given, or the window is empty (`--since` not before `--until`).
 */
export function resolveWindow(flags: WindowFlags, options: { readonly timeZone: string; readonly now: Date }): ResolvedWindow {
  const { timeZone } = options
  const now = new TZDate(options.now.getTime(), timeZone)
  if (flags.days !== undefined && flags.since !== undefined) {
    throw new CliError('INVALID_OPTION', '--days and --since both set where the window starts: give one of them.', EXIT.usage)
  }
  const days = flags.days === undefined ? undefined : parseDays(flags.days)
  const since = days !== undefined ? subDays(startOfDay(now), days - 1) : flags.since === undefined ? undefined : readPoint(flags.since, '--since', now, timeZone).at
  const untilPoint = flags.until === undefined ? undefined : readPoint(flags.until, '--until', now, timeZone)
  const until = untilPoint === undefined ? undefined : untilPoint.day && !RELATIVE.test(flags.until?.trim() ?? '') ? addDays(untilPoint.at, 1) : untilPoint.at
  if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) {
    throw new CliError('INVALID_OPTION', `The window is empty: --since ${flags.since ?? `(--days ${String(flags.days)})`} is not before --until ${flags.until ?? ''} (${iso(since)} ≥ ${iso(until)}). Swap them, or widen the window.`, EXIT.usage)
  }
  return {
    ...(since === undefined ? {} : { since: iso(since) }),
    ...(until === undefined ? {} : { until: iso(until) }),
    timeZone,
    description: describeWindow(since, until, timeZone),
  }
}

function parseDays(value: string | number): number {
  const days = typeof value === 'number' ? value : Number(value)
  if (!Number.isInteger(days) || days < 1 || days > 36_600) {
    throw new CliError('INVALID_OPTION', `Invalid --days "${String(value)}": a whole number of days from 1, e.g. --days 7 for the last 7 days including today.`, EXIT.usage)
  }
  return days
}

function readPoint(text: string, flag: string, now: TZDate, timeZone: string): Point {
  const value = text.trim()
  const lower = value.toLowerCase()
  if (lower === 'today') return { at: startOfDay(now), day: true }
  if (lower === 'yesterday') return { at: subDays(startOfDay(now), 1), day: true }
  const relative = RELATIVE.exec(value)
  if (relative !== null) {
    const count = Number(relative[1])
    const today = startOfDay(now)
    switch (relative[2]?.toLowerCase()) {
      case 'h': return { at: subHours(now, count), day: false }
      case 'd': return { at: subDays(today, Math.max(0, count - 1)), day: true }
      case 'w': return { at: subDays(today, Math.max(0, count * 7 - 1)), day: true }
      case 'm': return { at: addDays(subMonths(today, count), 1), day: true }
      default: return { at: addDays(subYears(today, count), 1), day: true }
    }
  }
  const inZone = { in: tz(timeZone) }
  const date = /^\d{8}$/.test(value) ? parseISO(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}`, inZone) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseISO(value, inZone) : undefined
  if (date !== undefined && isValid(date)) return { at: date, day: true }
  if (date === undefined && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
    const instant = parseISO(value.replace(' ', 'T'), inZone)
    if (isValid(instant)) return { at: instant, day: false }
  }
  throw new CliError('INVALID_OPTION', `Invalid ${flag} "${text}": use ${WINDOW_FORMS}.`, EXIT.usage)
}

function iso(date: Date): string {
  return new Date(date.getTime()).toISOString()
}

/** `2026-10-15 – 2026-10-21 (Europe/Berlin)`: the days covered, times where a bound is not a day's start. */
function describeWindow(since: Date | undefined, until: Date | undefined, timeZone: string): string {
  if (since === undefined && until === undefined) return ''
  const show = (date: Date, end: boolean): string => {
    const local = new TZDate(date.getTime(), timeZone)
    const midnight = startOfDay(local).getTime() === local.getTime()
    const shown = end && midnight ? subDays(local, 1) : local
    const day = `${String(shown.getFullYear())}-${pad(shown.getMonth() + 1)}-${pad(shown.getDate())}`
    return midnight ? day : `${day} ${pad(local.getHours())}:${pad(local.getMinutes())}`
  }
  const from = since === undefined ? 'the start' : show(since, false)
  const to = until === undefined ? 'now' : show(until, true)
  return `${from} – ${to} (${timeZone})`
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}
