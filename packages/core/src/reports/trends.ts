import type { ReportGroup } from './report-groups.js'
import type { SetupReportRow } from './setup-report.js'
import { compareText } from '../text/compare-text.js'

/** One setup's outcomes in one week. */
export interface TrendPoint {
  /** Monday of the week, `YYYY-MM-DD`, in the time zone the weeks were counted in. */
  readonly week: string
  readonly commits: number
  readonly meanUserGrade: number | null
  /** The week's cost; null when it is not known: no usage recorded, or responses of a model without a known price. */
  readonly cost: number | null
}

/** A setup's weekly series, oldest week first. */
export interface SetupTrend {
  readonly setup: string
  readonly points: readonly TrendPoint[]
}

/**
 * Weekly commits, mean user grade and cost per setup, for charts of trends over time, from the
 * report grouped by week (`buildReportGroups` with `week`, oldest first): the weeks are those of
 * its time zone, so a trend and `report --by week` put each commit and grade in the same week.
 */
export function trendsOfWeeks(weeks: readonly ReportGroup[]): SetupTrend[] {
  const series = new Map<string, TrendPoint[]>()
  for (const { key, rows } of weeks) {
    for (const row of rows) {
      const points = series.get(row.setup) ?? []
      series.set(row.setup, points)
      points.push({ week: key, commits: row.commits, meanUserGrade: row.meanUserGrade, cost: weekCost(row) })
    }
  }
  return [...series]
    .map(([setup, points]) => ({ setup, points: points.sort((a, b) => compareText(a.week, b.week)) }))
    .sort((a, b) => compareText(a.setup, b.setup))
}

/** A week's cost, unless nothing says what the work cost (no responses) or some responses have no price. */
function weekCost(row: SetupReportRow): number | null {
  return row.messages === 0 || row.unpricedMessages > 0 ? null : row.cost
}
