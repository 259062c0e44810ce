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
