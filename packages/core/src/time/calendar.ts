import { TrackerError } from '../errors.js'
import { ianaZoneOfRule, parsePosixRule } from './posix-tz.js'

/** Calendar periods reports group by. */
export type CalendarPeriod = 'day' | 'week' | 'month'

/** What a time zone may be given as, for errors and help texts. */
export const TIME_ZONE_FORMS = 'an IANA name such as Europe/Stockholm or America/New_York, UTC, or an offset such as +01:00'


/** `+01:00`, `-0530`, `UTC+2`, `GMT-03:30`: a fixed offset from UTC. */
const OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i
/** The canonical name of a fixed offset, `UTC+05:30` (what {@link checkTimeZone} gives). */
const CANONICAL_OFFSET = /^UTC([+-])(\d{2}):(\d{2})$/

/** The UTC offsets clocks use, in minutes: from 12 hours behind UTC to 14 ahead (Kiribati's Line Islands). */
const OFFSET_MINUTES = { behind: 12 * 60, ahead: 14 * 60 } as const

/**
 * Why a UTC offset — its sign, hours and minutes as written — is none a clock uses (past -12:00 or
 * +14:00, or with 60 minutes or more), or undefined for one that is. Every place that reads an
 * offset (`--timezone`, a date-time's `+02:00`) holds it to this one range and says it this one way.
 */
export function utcOffsetProblem(sign: '+' | '-', hours: number, minutes: number): string | undefined {
  if (minutes < 60 && hours * 60 + minutes <= (sign === '-' ? OFFSET_MINUTES.behind : OFFSET_MINUTES.ahead)) return undefined
  const written = `${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
  return `the UTC offset ${written} does not exist; offsets run from ${clock('-', OFFSET_MINUTES.behind)} to ${clock('+', OFFSET_MINUTES.ahead)}`
}

/** `-12:00`: an offset of `minutes` as a clock shows it. */
function clock(sign: '+' | '-', minutes: number): string {
  return `${sign}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

const formats = new Map<string, Intl.DateTimeFormat>()
const days = new Map<string, string>()

/**
 * Reads a time zone and gives it in its canonical spelling: an IANA name (`Europe/Berlin`,
 * `america/new_york` → `America/New_York`), `UTC` (also `GMT`, `Z`), or a fixed offset (`+01:00`,
 * `-0530`, `UTC+2` → `UTC+01:00`, `UTC-05:30`, `UTC+02:00`; from -12:00 to +14:00). An IANA name
 * that the runtime knows by another name (`Asia/Kathmandu`) is kept as given. Every part of
 * agent-tracker reads zones with this one function, and the canonical names are what date
 * libraries (`@date-fns/tz`) and {@link calendarDayIn} take.
 * @throws {TrackerError} INVALID_QUERY naming the value and what is accepted.
 */
export function checkTimeZone(timeZone: string): string {
  const text = timeZone.trim()
  if (/^(utc|gmt|z)$/i.test(text)) return 'UTC'
  const offset = OFFSET.exec(text)
  if (offset !== null) {
    const sign = offset[1] === '-' ? '-' : '+'
    const hours = Number(offset[2])
    const minutes = Number(offset[3] ?? '0')
    // The offsets clocks use, as `--since 2026-10-15T09:00-12:00` takes them.
    const problem = utcOffsetProblem(sign, hours, minutes)
    if (problem !== undefined) throw new TrackerError('INVALID_QUERY', `Invalid time zone "${timeZone}": ${problem} (or use ${TIME_ZONE_FORMS}).`)
    return hours + minutes === 0 ? 'UTC' : `UTC${sign}${String(hours).padStart(2, '0')}:${String(minutes).padStart(2, '0')}`
  } else if (text !== '') {
    try {
      const resolved = formatOf(text).resolvedOptions().timeZone
      // The name as typed where it is another name of the zone (this runtime's ICU calls Asia/Kathmandu
      // Asia/Katmandu, Europe/Kyiv Europe/Kiev): the user's name is the one they know. Spelt in
      // another case only, or a name of UTC, the runtime's.
      return resolved.toLowerCase() === text.toLowerCase() || resolved === 'UTC' ? resolved : text
    } catch {
      // Reported below.
    }
  }
  throw new TrackerError('INVALID_QUERY', `Invalid time zone "${timeZone}": use ${TIME_ZONE_FORMS}.`)
}

/**
 * A `TZ` in POSIX's form without a daylight-saving part — a name of three or more letters (or
 * `<…>`) then an offset, `UTC-5`, `GMT+3`, `JST-9`, `<+0530>-5:30` — as the fixed offset the
 * machine's clock keeps: POSIX counts hours west of UTC, so `UTC-5` is five hours ahead (`+05:00`),
 * the other way round from `--timezone UTC-5`. Undefined for any other `TZ`.
 */
function posixOffset(tz: string): string | undefined {
  const rule = /^(?:[A-Za-z]{3,}|<[^>]+>)([+-]?)(\d{1,2})(?::(\d{2}))?(?::\d{2})?$/.exec(tz)
  if (rule === null) return undefined
  return zoneOrUndefined(`${rule[1] === '-' ? '+' : '-'}${(rule[2] ?? '0').padStart(2, '0')}:${rule[3] ?? '00'}`)
}

/**
 * The zone a machine's clock reads in, as {@link checkTimeZone} spells it: its `TZ` variable when
 * that names a zone — a name or an offset, with or without POSIX's leading `:`, or a file in a
 * zoneinfo folder (`:/usr/share/zoneinfo/Europe/Berlin`; a link such as `/etc/localtime` is
 * followed through `resolveLink`, which the caller gives, since this reads no file) — else the
 * zone the runtime reports, else the clock's offset from UTC now, as a fixed offset. `Intl`
 * reports no zone at all for a `TZ` that is a path or a POSIX rule (`JST-9`), or names no zone it
 * knows, while the runtime's clock follows the path or the rule (or runs on UTC): its offset is
 * then the best name there is, right until the next daylight-saving change. A POSIX rule with no
 * daylight-saving part (`UTC-5`, `GMT+3`) is read as POSIX reads it: hours west of UTC.
 */
export function machineTimeZone(tz: string | undefined, resolveLink: (path: string) => string | undefined = () => undefined): string {
  return readMachineTimeZone(tz, resolveLink).zone
}

/** The machine's zone (see {@link machineTimeZone}), and the `TZ` it could not read, if any: what to warn of. */
export interface MachineTimeZone {
  readonly zone: string
  /** `TZ` as given, when it names no zone agent-tracker reads (a name no zone has, a rule no zone keeps): `zone` is then a guess. */
  readonly unread?: string
  /** `TZ` as given, when it is a POSIX rule with daylight saving that `zone`, an IANA zone, keeps (see `ianaZoneOfRule`). */
  readonly rule?: string
}

/**
 * {@link machineTimeZone}, saying when `TZ` was set but named no zone this reads — `Mars/Olympus`,
 * a file that is no zoneinfo file — so that the caller can warn: the zone used instead is the
 * runtime's or the clock's offset, not the zone the user meant. A POSIX rule with daylight saving
 * (`CET-1CEST,M3.5.0,M10.5.0/3`, which `date` follows but JavaScript's clock does not: it runs on
 * UTC) is read as the IANA zone that keeps the same clock in the years around now (`rule` says so);
 * one that no zone keeps is not read.
 */
export function readMachineTimeZone(tz: string | undefined, resolveLink: (path: string) => string | undefined = () => undefined): MachineTimeZone {
  const given = tz?.replace(/^:/, '').trim() ?? ''
  if (given !== '') {
    const named = given.startsWith('/') ? zoneOfFile(resolveLink(given) ?? given) : given
    const zone = named === undefined ? undefined : (posixOffset(named) ?? zoneOrUndefined(named))
    if (zone !== undefined) return { zone }
    const rule = named === undefined ? undefined : parsePosixRule(named)
    const kept = rule === undefined ? undefined : ianaZoneOfRule(rule, new Date())
    if (kept !== undefined) return { zone: kept, rule: tz ?? '' }
  }
  const zone = runtimeTimeZone()
  return given === '' ? { zone } : { zone, unread: tz ?? '' }
}

/** The zone the runtime reports, else the clock's offset from UTC now, as a fixed offset. */
function runtimeTimeZone(): string {
  const reported: unknown = Intl.DateTimeFormat().resolvedOptions().timeZone
  const zone = typeof reported === 'string' && reported !== 'Etc/Unknown' ? zoneOrUndefined(reported) : undefined
  if (zone !== undefined) return zone
  const offset = -new Date().getTimezoneOffset()
  const minutes = Math.abs(offset)
  return zoneOrUndefined(`${offset < 0 ? '-' : '+'}${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`) ?? 'UTC'
}

/** The zone a zoneinfo file is for (`/usr/share/zoneinfo/posix/Europe/Berlin` → `Europe/Berlin`); undefined for another file. */
function zoneOfFile(path: string): string | undefined {
  const at = path.lastIndexOf('/zoneinfo/')
  return at < 0 ? undefined : path.slice(at + '/zoneinfo/'.length).replace(/^(posix|right)\//, '')
}

function zoneOrUndefined(text: string): string | undefined {
  try {
    return checkTimeZone(text)
  } catch {
    return undefined
  }
}

/** The calendar day (`YYYY-MM-DD`) an ISO timestamp falls on in a time zone (a name {@link checkTimeZone} gave). */
export function calendarDayIn(isoTimestamp: string, timeZone: string): string {
  const offset = offsetMinutes(timeZone)
  if (offset !== undefined) return new Date(Date.parse(isoTimestamp) + offset * 60_000).toISOString().slice(0, 10)
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

/** Minutes a canonical fixed offset (`UTC+05:30`) is ahead of UTC; undefined for a named zone. */
function offsetMinutes(timeZone: string): number | undefined {
  const match = CANONICAL_OFFSET.exec(timeZone)
  if (match === null) return undefined
  const minutes = Number(match[2]) * 60 + Number(match[3])
  return match[1] === '-' ? -minutes : minutes
}

function formatOf(timeZone: string): Intl.DateTimeFormat {
  let format = formats.get(timeZone)
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
    } catch (error) {
      throw new TrackerError('INVALID_QUERY', `Invalid time zone "${timeZone}": use ${TIME_ZONE_FORMS}.`, { cause: error })
    }
    formats.set(timeZone, format)
  }
  return format
}
