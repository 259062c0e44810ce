import type { SetupFilter } from '../reports/setup-filter.js'
import { matchesSetupFilter } from '../reports/setup-filter.js'
import type { SetupReportRow } from '../reports/setup-report.js'
import { buildSetupReport, nonUserChannels } from '../reports/setup-report.js'
import type { GradeChannel } from '../facts/grade-channel.js'
import type { SetupTrend } from '../reports/trends.js'
import { buildTrends } from '../reports/trends.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'
import type { RollupScope } from './window-rollups.js'
import { windowRollups } from './window-rollups.js'
import type { TimeWindow } from './read-query.js'
import { windowQuery } from './read-query.js'

/** A report question: outcomes per setup, narrowed by setup, project and time window. */
export interface ReportQuery extends SetupFilter, TimeWindow {
  /** Only work in this project (its path). */
  readonly project?: string | undefined
  /** At most this many rows (setups); default 1000. */
  readonly limit?: number | undefined
}

/** The cross-project report of a window. */
export interface SetupReport {
  /** One row per setup that worked in the window (see `buildSetupReport`), best mean user grade first. */
  readonly rows: readonly SetupReportRow[]
  /** Projects the reported setups committed to in the window. */
  readonly projects: number
  /**
   * Channels other than the user's own that brought user grades in the window; when there are
   * any, apps show user grades by channel (`userGradesByChannel` of each row).
   */
  readonly nonUserChannels: readonly GradeChannel[]
}

/**
 * The cross-project report: per setup, commits, bugs per commit, mean grades, tool failure rate,
 * tokens and cost per commit, with current scores. Built from the day rollups of the window, so
 * it reads O(setups × projects × days), never the commits and grades themselves (but for a day the
 * window cuts: see `windowRollups`).
 * @throws {TrackerError} INVALID_QUERY for a bad limit, INVALID_TIMESTAMP for a bad window.
 */
export async function setupReport(store: TrackerStore, query: ReportQuery = {}): Promise<SetupReport> {
  const limit = boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT)
  const [setups, rollups] = await Promise.all([store.find('setups'), windowRollups(store, rollupScope(query))])
  const committed = new Set(rollups.filter((day) => day.commits > 0 && matchesSetupFilter(day.setup, query)).map((day) => day.project))
  const rows = buildSetupReport({ setups, rollups }, query).slice(0, limit)
  return { rows, nonUserChannels: nonUserChannels(rows), projects: committed.size }
}

/**
 * Each setup's weekly commits, mean user grade and cost in the window, oldest week first, for
 * charts of trends over time; from the day rollups.
 * @throws {TrackerError} INVALID_QUERY for a bad limit, INVALID_TIMESTAMP for a bad window.
 */
export async function setupTrends(store: TrackerStore, query: ReportQuery = {}): Promise<SetupTrend[]> {
  const limit = boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT)
  return buildTrends(await windowRollups(store, rollupScope(query)), query).slice(0, limit)
}

function rollupScope(query: ReportQuery): RollupScope {
  return { ...windowQuery(query), ...(query.project === undefined ? {} : { project: query.project }), ...(query.setup === undefined ? {} : { setup: query.setup }) }
}
