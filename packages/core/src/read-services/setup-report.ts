import type { SetupFilter } from '../reports/setup-filter.js'
import { matchesSetupFilter } from '../reports/setup-filter.js'
import type { SetupReportRow } from '../reports/setup-report.js'
import { buildSetupReport, nonUserChannels } from '../reports/setup-report.js'
import type { GradeChannel } from '../facts/grade-channel.js'
import type { SetupTrend } from '../reports/trends.js'
import { buildTrends } from '../reports/trends.js'
import type { RecordQuery, TrackerStore } from '../store/tracker-store.js'
import type { TimeWindow } from './read-query.js'
import { windowQuery } from './read-query.js'

/** A report question: outcomes per setup, narrowed by setup, project and time window. */
export interface ReportQuery extends SetupFilter, TimeWindow {
  /** Only work in this project (its path). */
  readonly project?: string | undefined
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
 * tokens and cost per commit, with current scores. Every outcome in the window counts, so it reads
 * the window whole (commits as references only).
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function setupReport(store: TrackerStore, query: ReportQuery = {}): Promise<SetupReport> {
  const scope = windowScope(query)
  const [setups, commits, gradeEvents, bugs, usage] = await Promise.all([
    store.find('setups'), store.findCommitRefs(scope), store.find('gradeEvents', scope), store.find('bugs', scope), store.find('usage', scope),
  ])
  const rows = buildSetupReport({ setups, commits, gradeEvents, bugs, usage }, query)
  return {
    rows,
    nonUserChannels: nonUserChannels(rows),
    projects: new Set(commits.filter((commit) => matchesSetupFilter(commit.setup, query)).map((commit) => commit.project)).size,
  }
}

/**
 * Each setup's weekly commits, mean user grade and cost in the window, oldest week first, for
 * charts of trends over time.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function setupTrends(store: TrackerStore, query: ReportQuery = {}): Promise<SetupTrend[]> {
  const scope = windowScope(query)
  const [commits, gradeEvents, usage] = await Promise.all([store.findCommitRefs(scope), store.find('gradeEvents', scope), store.find('usage', scope)])
  return buildTrends({ commits, gradeEvents, usage }, query)
}

function windowScope(query: ReportQuery): RecordQuery {
  return { ...windowQuery(query), ...(query.project === undefined ? {} : { project: query.project }), order: 'any' }
}
