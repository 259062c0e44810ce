import { MigrateError } from './errors.js'

/**
 * The time zone legacy times written without one (`2026-02-23T18:00:00`, a journal's `## 18:00`)
 * are read in. Fixed: reading the same file in two zones would make two different instants.
 */
export interface LegacyTimeZone {
  /** An IANA name (`Europe/Stockholm`, `UTC`) or a fixed offset (`UTC+01:00`). */
  readonly name: string
  /** The UTC instant of a wall-clock time in this zone, as an ISO timestamp. */
  toUtc(local: LocalDateTime): string
}

/** A wall-clock date and time. Month 1–12. */
export interface LocalDateTime {
  readonly year: number
  readonly month: number
  readonly day: number
  readonly hour: number
  readonly minute: number
  readonly second: number
  readonly millisecond?: number
}

const OFFSET = /^(?:UTC|GMT)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/i

/** The machine's own time zone (what `--timezone` defaults to). */
export function machineTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone
}

/**
 * Reads a time zone: an IANA name such as `Europe/Stockholm` or `America/New_York`, `UTC`, or a
 * fixed offset such as `+01:00`, `-0530` or `UTC+2`. Default: the machine's zone.
 * @throws {MigrateError} INVALID_TIME_ZONE naming the value and what is accepted.
 */
export function resolveTimeZone(input: string = machineTimeZone()): LegacyTimeZone {
  const text = input.trim()
  if (/^(utc|gmt|z)$/i.test(text)) return fixedOffset(0)
  const offset = OFFSET.exec(text)
  if (offset !== null) {
    const hours = Number(offset[2])
    const minutes = Number(offset[3] ?? '0')
    if (hours <= 14 && minutes < 60) return fixedOffset((offset[1] === '-' ? -1 : 1) * (hours * 60 + minutes))
  } else {
    try {
      const format = zoneFormat(text)
      const name = format.resolvedOptions().timeZone
      return { name, toUtc: (local) => new Date(localToUtcMs(local, (ms) => zoneOffsetMinutes(format, ms))).toISOString() }
    } catch {
      // Not a zone Intl knows: reported below.
    }
  }
  throw new MigrateError('INVALID_TIME_ZONE', `Invalid time zone "${input}": use an IANA name such as Europe/Stockholm or America/New_York, UTC, or an offset such as +01:00.`)
}

function fixedOffset(minutes: number): LegacyTimeZone {
  const sign = minutes < 0 ? '-' : '+'
  const abs = Math.abs(minutes)
  const name = minutes === 0 ? 'UTC' : `UTC${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`
  return { name, toUtc: (local) => new Date(localToUtcMs(local, () => minutes)).toISOString() }
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
}

/** Minutes the zone is ahead of UTC at the instant `ms`. */
function zoneOffsetMinutes(format: Intl.DateTimeFormat, ms: number): number {
  const parts = Object.fromEntries(format.formatToParts(new Date(ms)).map((part) => [part.type, Number(part.value)]))
  const asUtc = Date.UTC(parts.year ?? 1970, (parts.month ?? 1) - 1, parts.day ?? 1, parts.hour ?? 0, parts.minute ?? 0, parts.second ?? 0)
  return Math.round((asUtc - Math.floor(ms / 1000) * 1000) / 60_000)
}

/** The instant of a wall-clock time, given the zone's offset at any instant (twice: around a DST change). */
function localToUtcMs(local: LocalDateTime, offsetAt: (ms: number) => number): number {
  const wall = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second, local.millisecond ?? 0)
  const first = wall - offsetAt(wall) * 60_000
  const second = wall - offsetAt(first) * 60_000
  return second
}
