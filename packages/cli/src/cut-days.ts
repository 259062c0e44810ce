import { TZDate } from '@date-fns/tz'
import type { CutDay } from '@agent-tracker/core'

/**
 * What a report says when its window cuts days that hold tool calls, tokens or cost: those are
 * kept per UTC day (the on-disk day rollups), so on such a day they count whole or not at all,
 * while commits, bugs and grades are counted at their own time. Said rather than left silent,
 * since a window from 09:00 otherwise reads as if its cost began at 09:00. Undefined when the
 * window cuts no such day.
 */
export function cutDaysNote(cutDays: readonly CutDay[]): string | undefined {
  if (cutDays.length === 0) return undefined
  const whole = cutDays.filter((cut) => cut.counted).map((cut) => cut.day)
  const none = cutDays.filter((cut) => !cut.counted).map((cut) => cut.day)
  const verdicts = [
    whole.length === 0 ? '' : `${listed(whole)} ${whole.length === 1 ? 'counts' : 'count'} the whole day's`,
    none.length === 0 ? '' : `${listed(none)} ${none.length === 1 ? 'counts' : 'count'} none`,
  ].filter((part) => part !== '')
  return `Tool calls, commands, pushes, messages, tokens and cost (and the XP+ they earn) are kept per UTC day, so on a day the window cuts they count whole or not at all: ${verdicts.join(', ')} (a cut day counts when its noon, UTC, falls inside the window). Commits, bugs and grades are counted exactly.`
}

function listed(days: readonly string[]): string {
  return days.length === 1 ? (days[0] ?? '') : `${days.slice(0, -1).join(', ')} and ${days.at(-1) ?? ''}`
}

/**
 * What a report by day, week or month in a time zone other than UTC says of the counters kept per
 * UTC day: each UTC day's tool calls, tokens and cost count in the period its noon (UTC) falls in,
 * so a period's first or last hours may show commits whose cost sits in the period beside it.
 * Undefined for groupings that are not periods of time, and for a zone at UTC's time in winter and
 * summer alike (UTC by any name, Africa/Abidjan), whose days are UTC days.
 */
export function zonedPeriodsNote(by: string, timeZone: string, now: Date = new Date()): string | undefined {
  if (!['day', 'week', 'month'].includes(by) || alwaysUtc(timeZone, now.getUTCFullYear())) return undefined
  return `Tool calls, commands, pushes, messages, tokens and cost are kept per UTC day: each UTC day counts whole in the ${by} of ${timeZone} its noon (UTC) falls in, so commits made early or late in a local ${by} may show beside cost counted in the ${by} next to it (a cost of $0.000 there need not mean none). Commits, bugs and grades are counted at their own time.`
}

/** True for a zone whose offset from UTC is zero in January and in July of `year`. */
function alwaysUtc(timeZone: string, year: number): boolean {
  return [Date.UTC(year, 0, 1), Date.UTC(year, 6, 1)].every((at) => new TZDate(at, timeZone).getTimezoneOffset() === 0)
}
