import type { Mutable } from '../mutable.js'
import { NO_GRADES, emptyUsage, hasCounters } from '../rollups/usage-rollup.js'
import type { UsageRecord } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { calendarDayIn, periodOfDay } from '../time/calendar.js'
import type { RollupScope } from './window-rollups.js'
import { canonicalScope, countDayRecords, windowRollups } from './window-rollups.js'

/** A window's day rollups split into the weeks or months of a time zone (see {@link periodRollups}). */
export interface PeriodRollups {
  /** By period (`YYYY-MM-DD`, a week's Monday; `YYYY-MM`): the rollups, and the parts of rollups, of its work. */
  readonly parts: ReadonlyMap<string, readonly UsageRecord[]>
  /** The window's rollups as read (see `windowRollups`). */
  readonly rollups: readonly UsageRecord[]
}

/**
 * The window's day rollups (see `windowRollups`) split into the weeks or months of `timeZone` as the
 * records are: a UTC day inside one period goes to it whole; on a UTC day a period starts inside
 * (one a week or a month: where the zone's midnight falls in UTC), the commits, bugs and grades are
 * counted from that day's records into the period of each, and the day's tool calls, tokens and
 * cost go to the period of its noon (UTC), as they do everywhere. So the reads follow the days
 * worked and one day's records per period, not every commit and grade.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function periodRollups(store: TrackerStore, scope: RollupScope, period: 'week' | 'month', timeZone: string): Promise<PeriodRollups> {
  const rollups = await windowRollups(store, scope)
  const window = canonicalScope(scope)
  const periodAt = (at: string): string => periodOfDay(calendarDayIn(at, timeZone), period)
  const parts = new Map<string, UsageRecord[]>()
  const add = (key: string, rollup: UsageRecord): void => {
    const part = parts.get(key)
    if (part === undefined) parts.set(key, [rollup])
    else part.push(rollup)
  }
  const split = new Set<string>()
  for (const rollup of rollups) {
    const first = periodAt(`${rollup.day}T00:00:00.000Z`)
    if (first === periodAt(`${rollup.day}T23:59:59.999Z`)) {
      add(first, rollup)
      continue
    }
    split.add(rollup.day)
    // Its counters go where its noon does (when it has any: a part of nothing would still name its
    // project there); its outcomes are counted from its records below.
    if (hasCounters(rollup)) add(periodAt(`${rollup.day}T12:00:00.000Z`), { ...rollup, commits: 0, bugs: 0, grades: NO_GRADES })
  }
  for (const day of [...split].sort()) {
    const counted = new Map<string, Mutable<UsageRecord>>()
    await countDayRecords(store, window, day, (record) => {
      const key = periodAt(record.at)
      const slot = `${key}\u0000${record.setup}\u0000${record.project}`
      let rollup = counted.get(slot)
      if (rollup === undefined) {
        rollup = emptyUsage(record.setup, record.project, day)
        counted.set(slot, rollup)
        add(key, rollup)
      }
      return rollup
    })
  }
  return { parts, rollups }
}
