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
import { utcOffsetProblem } from '@agent-tracker/core'
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

const RELATIVE = /^(\d+)\s*(h|d|w|m|y)$/i

/** How far back a window may start: about 100 years (`--days 36600`, `100y`), far before any agent's work. */
const MAX_DAYS = 36_600

/** What the window's reach back is limited to, for errors. */
const REACH = `at most ${String(MAX_DAYS)} days back (about 100 years: --days ${String(MAX_DAYS)}, ${String(MAX_DAYS)}d, 100y); for all time, leave --since and --days out`

/** A UTC offset at the end of a date-time: `+02:00`, `-0530`, `+05`. */
const OFFSET = /[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-])(\d{2})(?::?(\d{2}))?$/

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
  const since = days !== undefined ? daysBack(now, days - 1) : flags.since === undefined ? undefined : readPoint(flags.since, '--since', now, timeZone).at
  const untilPoint = flags.until === undefined ? undefined : readPoint(flags.until, '--until', now, timeZone)
  const until = untilPoint === undefined ? undefined : untilPoint.day && !RELATIVE.test(flags.until?.trim() ?? '') ? startOfDay(addDays(untilPoint.at, 1)) : untilPoint.at
  if (since !== undefined && until === undefined && since.getTime() > now.getTime()) {
    throw new CliError('INVALID_OPTION', `The window is empty: --since ${flags.since ?? ''} (${iso(since)}) is after now (${iso(now)}), and without --until the window ends now. Give a start in the past.`, EXIT.usage)
  }
  if (since !== undefined && until !== undefined && since.getTime() >= until.getTime()) {
    if (days !== undefined) {
      // --days counts back from today, whatever --until says: swapping makes no sense of it.
      throw new CliError('INVALID_OPTION', `The window is empty: --days ${String(flags.days)} starts ${iso(since)}, the last ${String(days)} days up to today, which is not before --until ${flags.until ?? ''} (${iso(until)}). --days counts back from today: for days that end earlier, give --since and --until.`, EXIT.usage)
    }
    throw new CliError('INVALID_OPTION', `The window is empty: --since ${flags.since ?? ''} is not before --until ${flags.until ?? ''} (${iso(since)} ≥ ${iso(until)}). Swap them, or widen the window.`, EXIT.usage)
  }
  return {
    ...(since === undefined ? {} : { since: iso(since) }),
    ...(until === undefined ? {} : { until: iso(until) }),
    timeZone,
    description: describeWindow(since, until, timeZone),
  }
}

/**
 * The start of the day `days` days before `now`'s, in `now`'s zone. Started again after the step: in
 * a zone whose clocks skip midnight (Santiago, Cairo, Havana, Beirut), a day can begin at 01:00,
 * and stepping from it would carry that hour into every other day.
 */
function daysBack(now: TZDate, days: number): Date {
  return startOfDay(subDays(startOfDay(now), days))
}

function parseDays(value: string | number): number {
  // Plain digits only: Number() would also take 1e3, 0x10 and " 7 ".
  const days = typeof value === 'number' ? value : /^\d+$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new CliError('INVALID_OPTION', `Invalid --days "${String(value)}": a whole number of days from 1 to ${String(MAX_DAYS)} (about 100 years), written in plain digits, e.g. --days 7 for the last 7 days including today.`, EXIT.usage)
  }
  return days
}

/**
 * `point`, checked to reach back no further than the window may.
 * @throws {CliError} INVALID_OPTION (usage) naming the flag, the value and the limit.
 */
function withinReach(point: Point, flag: string, text: string, now: TZDate): Point {
  // NaN too: a count of years past the calendar's end gives an invalid date.
  if (!(point.at.getTime() >= daysBack(now, MAX_DAYS - 1).getTime())) {
    throw new CliError('INVALID_OPTION', `Invalid ${flag} "${text}": a window starts ${REACH}.`, EXIT.usage)
  }
  return point
}

function readPoint(text: string, flag: string, now: TZDate, timeZone: string): Point {
  return withinReach(parsePoint(text, flag, now, timeZone), flag, text, now)
}

function parsePoint(text: string, flag: string, now: TZDate, timeZone: string): Point {
  const value = text.trim()
  const lower = value.toLowerCase()
  if (lower === 'today') return { at: startOfDay(now), day: true }
  if (lower === 'yesterday') return { at: daysBack(now, 1), day: true }
  const relative = RELATIVE.exec(value)
  if (relative !== null) {
    const count = Number(relative[1])
    if (count < 1) throw new CliError('INVALID_OPTION', `Invalid ${flag} "${text}": a time back from now counts from 1 (1d is today; leave ${flag} out for no bound).`, EXIT.usage)
    // Checked before the arithmetic: a huge count would reach before the calendar's start.
    if (count > MAX_DAYS * 24) throw new CliError('INVALID_OPTION', `Invalid ${flag} "${text}": a window starts ${REACH}.`, EXIT.usage)
    const today = startOfDay(now)
    switch (relative[2]?.toLowerCase()) {
      case 'h': return { at: subHours(now, count), day: false }
      case 'd': return { at: daysBack(now, Math.max(0, count - 1)), day: true }
      case 'w': return { at: daysBack(now, Math.max(0, count * 7 - 1)), day: true }
      case 'm': return { at: startOfDay(addDays(subMonths(today, count), 1)), day: true }
      default: return { at: startOfDay(addDays(subYears(today, count), 1)), day: true }
    }
  }
  const inZone = { in: tz(timeZone) }
  const date = /^\d{8}$/.test(value) ? parseISO(`${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6)}`, inZone) : /^\d{4}-\d{2}-\d{2}$/.test(value) ? parseISO(value, inZone) : undefined
  if (date !== undefined && isValid(date)) return { at: date, day: true }
  if (date === undefined && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/.test(value)) {
    const offset = OFFSET.exec(value)
    // The offsets clocks use, as --timezone takes them.
    const problem = offset === null ? undefined : utcOffsetProblem(offset[1] === '-' ? '-' : '+', Number(offset[2]), Number(offset[3] ?? 0))
    if (problem !== undefined) throw new CliError('INVALID_OPTION', `Invalid ${flag} "${text}": ${problem} (or give Z for UTC).`, EXIT.usage)
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
