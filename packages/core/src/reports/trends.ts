import type { UsageRecord } from '../store/records.js'
import type { SetupFilter } from './setup-filter.js'
import { matchesSetupFilter } from './setup-filter.js'
import { compareText } from '../text/compare-text.js'

/** One setup's outcomes in one week. */
export interface TrendPoint {
  /** Monday of the week, `YYYY-MM-DD` (UTC). */
  readonly week: string
  readonly commits: number
  readonly meanUserGrade: number | null
  readonly cost: number
}

/** A setup's weekly series, oldest week first. */
export interface SetupTrend {
  readonly setup: string
  readonly points: readonly TrendPoint[]
}

/** Weekly commits, mean user grade and cost per setup, from day rollups, for charts of trends over time. */
export function buildTrends(rollups: readonly UsageRecord[], filter: SetupFilter = {}): SetupTrend[] {
  const series = new Map<string, Map<string, { commits: number; grades: number; gradeSum: number; cost: number }>>()
  // Records of one day share a week: computing it once per day, not per record, keeps large windows cheap.
  const weekOfDay = new Map<string, string>()
  const bucket = (setup: string, at: string): { commits: number; grades: number; gradeSum: number; cost: number } | undefined => {
    if (!matchesSetupFilter(setup, filter)) return undefined
    const weeks = series.get(setup) ?? new Map<string, { commits: number; grades: number; gradeSum: number; cost: number }>()
    series.set(setup, weeks)
    const day = at.slice(0, 10)
    let week = weekOfDay.get(day)
    if (week === undefined) {
      week = weekOf(`${day}T00:00:00.000Z`)
      weekOfDay.set(day, week)
    }
    const found = weeks.get(week) ?? { commits: 0, grades: 0, gradeSum: 0, cost: 0 }
    weeks.set(week, found)
    return found
  }
  for (const day of rollups) {
    const b = bucket(day.setup, `${day.day}T00:00:00.000Z`)
    if (b === undefined) continue
    b.commits += day.commits
    b.grades += day.grades.user.count
    b.gradeSum += day.grades.user.sum
    b.cost += day.cost
  }
  return [...series]
    .map(([setup, weeks]) => ({
      setup,
      points: [...weeks]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([week, b]) => ({ week, commits: b.commits, meanUserGrade: b.grades === 0 ? null : b.gradeSum / b.grades, cost: b.cost })),
    }))
    .sort((a, b) => compareText(a.setup, b.setup))
}

/** The Monday (UTC) of the week containing a timestamp. */
export function weekOf(isoTimestamp: string): string {
  const date = new Date(isoTimestamp)
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - ((date.getUTCDay() + 6) % 7)))
  return monday.toISOString().slice(0, 10)
}
