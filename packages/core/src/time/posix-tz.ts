/**
 * POSIX `TZ` rules with daylight saving — `std offset dst [offset],start[/time],end[/time]`, e.g.
 * `CET-1CEST,M3.5.0,M10.5.0/3` — read, and matched to the IANA zone that keeps the same clock.
 * Every part of agent-tracker takes a zone by name (Intl, `@date-fns/tz`), so a rule is used as the
 * IANA zone whose offsets agree with it at every change of the years around now.
 */

/** A POSIX rule with daylight saving: offsets in minutes east of UTC, and when summer time starts and ends. */
export interface PosixRule {
  readonly standard: number
  readonly summer: number
  readonly start: PosixDate
  readonly end: PosixDate
}

/** A day of the year as a rule gives it, and the local time (seconds, may be negative or past 24 h) the change happens at. */
type PosixDate = ({ readonly kind: 'julian'; readonly day: number } | { readonly kind: 'zero-based'; readonly day: number } | { readonly kind: 'month'; readonly month: number; readonly week: number; readonly weekday: number }) & { readonly seconds: number }

const NAME = '(?:[A-Za-z]{3,}|<[A-Za-z0-9+-]{3,}>)'
const OFFSET = '([+-]?\\d{1,2}(?::\\d{1,2}(?::\\d{1,2})?)?)'
const DATE = '(J\\d{1,3}|\\d{1,3}|M\\d{1,2}\\.\\d\\.\\d)(?:/([+-]?\\d{1,3}(?::\\d{1,2}(?::\\d{1,2})?)?))?'
const RULE = new RegExp(`^${NAME}${OFFSET}${NAME}${OFFSET}?(?:,${DATE},${DATE})?$`)

/** Seconds of `[+-]hh[:mm[:ss]]`. */
function seconds(text: string): number {
  const sign = text.startsWith('-') ? -1 : 1
  const [hours = 0, minutes = 0, secs = 0] = text.replace(/^[+-]/, '').split(':').map(Number)
  return sign * (hours * 3600 + minutes * 60 + secs)
}

function dateOf(text: string, time: string | undefined): PosixDate | undefined {
  const at = time === undefined ? 7200 : seconds(time)
  if (Math.abs(at) > 167 * 3600) return undefined
  if (text.startsWith('J')) {
    const day = Number(text.slice(1))
    return day >= 1 && day <= 365 ? { kind: 'julian', day, seconds: at } : undefined
  }
  if (text.startsWith('M')) {
    const [month = 0, week = 0, weekday = -1] = text.slice(1).split('.').map(Number)
    return month >= 1 && month <= 12 && week >= 1 && week <= 5 && weekday >= 0 && weekday <= 6 ? { kind: 'month', month, week, weekday, seconds: at } : undefined
  }
  const day = Number(text)
  return day <= 365 ? { kind: 'zero-based', day, seconds: at } : undefined
}

/**
 * Reads a POSIX `TZ` rule with daylight saving; undefined for anything else (a name, a rule
 * without summer time, a malformed rule). Without dates, the US rules glibc assumes
 * (`M3.2.0,M11.1.0`); without a summer offset, an hour ahead of standard time.
 */
export function parsePosixRule(tz: string): PosixRule | undefined {
  const match = RULE.exec(tz.trim())
  if (match === null) return undefined
  const [, std, dst, startDay, startTime, endDay, endTime] = match
  if (std === undefined) return undefined
  // POSIX offsets count west of UTC: CET-1 is an hour ahead.
  const standard = -seconds(std) / 60
  const summer = dst === undefined ? standard + 60 : -seconds(dst) / 60
  if (Math.abs(standard) > 24 * 60 || Math.abs(summer) > 24 * 60) return undefined
  const start = dateOf(startDay ?? 'M3.2.0', startDay === undefined ? undefined : startTime)
  const end = dateOf(endDay ?? 'M11.1.0', endDay === undefined ? undefined : endTime)
  return start === undefined || end === undefined ? undefined : { standard, summer, start, end }
}

const DAY_MS = 86_400_000

/** Midnight (as if UTC) of the day of `year` a rule's date names. */
function dayOfYear(date: PosixDate, year: number): number {
  const january = Date.UTC(year, 0, 1)
  if (date.kind === 'zero-based') return january + date.day * DAY_MS
  if (date.kind === 'julian') {
    // Jn counts 1 to 365 and never February 29th.
    const leap = new Date(Date.UTC(year, 1, 29)).getUTCDate() === 29
    return january + (date.day - 1 + (leap && date.day >= 60 ? 1 : 0)) * DAY_MS
  }
  const first = Date.UTC(year, date.month - 1, 1)
  const firstWeekday = new Date(first).getUTCDay()
  let day = first + ((date.weekday - firstWeekday + 7) % 7) * DAY_MS + (date.week - 1) * 7 * DAY_MS
  // Week 5 is the last such weekday of the month.
  while (new Date(day).getUTCMonth() !== date.month - 1) day -= 7 * DAY_MS
  return day
}

/** The instants (UTC ms) summer time starts and ends in `year`. */
export function posixChanges(rule: PosixRule, year: number): { readonly start: number; readonly end: number } {
  // The start is given in standard time, the end in summer time.
  return {
    start: dayOfYear(rule.start, year) + rule.start.seconds * 1000 - rule.standard * 60_000,
    end: dayOfYear(rule.end, year) + rule.end.seconds * 1000 - rule.summer * 60_000,
  }
}

/** The rule's offset (minutes east of UTC) at an instant. */
export function posixOffsetAt(rule: PosixRule, ms: number): number {
  const { start, end } = posixChanges(rule, new Date(ms).getUTCFullYear())
  const summer = start < end ? ms >= start && ms < end : !(ms >= end && ms < start)
  return summer ? rule.summer : rule.standard
}

/** The instants a zone is compared with a rule at: mid-season, and just before and after each change, of the years from `year - 2` to `year + 2`. */
function probes(rule: PosixRule, year: number): number[] {
  // Mid-January and mid-July of this year first: most zones differ there, and are passed over at once.
  const instants: number[] = [Date.UTC(year, 0, 15), Date.UTC(year, 6, 15)]
  for (let y = year - 2; y <= year + 2; y++) {
    const { start, end } = posixChanges(rule, y)
    instants.push(start - 60_000, start + 60_000, end - 60_000, end + 60_000, Date.UTC(y, 0, 15), Date.UTC(y, 6, 15))
  }
  return instants
}

/** Minutes east of UTC a zone's clock is at an instant, as Intl says (`GMT+01:00`). */
function zoneOffsetAt(format: Intl.DateTimeFormat, ms: number): number | undefined {
  const name = format.formatToParts(ms).find((part) => part.type === 'timeZoneName')?.value ?? ''
  if (name === 'GMT') return 0
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name)
  if (match === null) return undefined
  const minutes = Number(match[2]) * 60 + Number(match[3])
  return match[1] === '-' ? -minutes : minutes
}

/**
 * The IANA zone whose clock agrees with a POSIX rule at every change from two years before `now`
 * to two years after it (and between), Europe's and America's first, then by name; undefined when
 * none does. Older and later years are the zone's own: it may have changed its rules.
 */
export function ianaZoneOfRule(rule: PosixRule, now: Date, zones: readonly string[] = supportedZones()): string | undefined {
  const instants = probes(rule, now.getUTCFullYear())
  const wanted = instants.map((ms) => posixOffsetAt(rule, ms))
  const ordered = [...zones].sort((a, b) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0))
  for (const zone of ordered) {
    let format: Intl.DateTimeFormat
    try {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, timeZoneName: 'longOffset' })
    } catch {
      continue
    }
    if (instants.every((ms, index) => zoneOffsetAt(format, ms) === wanted[index])) return zone
  }
  return undefined
}

function rank(zone: string): number {
  return zone.startsWith('Europe/') || zone.startsWith('America/') ? 0 : zone.includes('/') && !zone.startsWith('Etc/') ? 1 : 2
}

function supportedZones(): readonly string[] {
  const intl = Intl as { supportedValuesOf?: (key: 'timeZone') => string[] }
  return intl.supportedValuesOf?.('timeZone') ?? []
}
