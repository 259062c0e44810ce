import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'
import type { ReportGroup, ReportGrouping } from '../reports/report-groups.js'
import { REPORT_GROUPINGS, buildReportGroups } from '../reports/report-groups.js'
import type { SetupFilter } from '../reports/setup-filter.js'
import type { SetupReportRow } from '../reports/setup-report.js'
import { buildRollupReport, buildTotalsReport, nonUserChannels } from '../reports/setup-report.js'
import type { GradeChannel } from '../facts/grade-channel.js'
import type { SetupTrend } from '../reports/trends.js'
import { buildTrends } from '../reports/trends.js'
import type { UsageRecord } from '../store/records.js'
import type { RecordQuery, TrackerStore } from '../store/tracker-store.js'
import { toIsoTimestamp } from '../time/iso-timestamp.js'
import { checkTimeZone } from '../time/calendar.js'
import type { TimeWindow } from './read-query.js'
import { windowQuery } from './read-query.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'
import type { RollupScope } from './window-rollups.js'
import { windowRollups } from './window-rollups.js'

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
  /**
   * Channels other than the user's own that brought user grades in the window; when there are
   * any, apps show user grades by channel (`userGradesByChannel` of each row).
   */
  readonly nonUserChannels: readonly GradeChannel[]
}

/**
 * The cross-project report: per setup, commits, bugs per commit, mean grades, tool failure rate,
 * tokens and cost per commit, with current scores. Every outcome in the window counts; it reads
 * the window's day rollups (one record per setup, project and day, exact at the window's edges:
 * see `windowRollups`) rather than every commit and grade, so its cost follows the days worked,
 * not the commits made.
 * @throws {TrackerError} INVALID_TIMESTAMP for a bad window.
 */
export async function setupReport(store: TrackerStore, query: ReportQuery = {}): Promise<SetupReport> {
  const limit = boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT)
  const allTime = query.since === undefined && query.until === undefined && query.project === undefined
  // Of all time, a store's setup totals serve: one record per setup rather than one per day worked.
  const totals = allTime ? await store.setupTotals?.() : undefined
  const [setups, rollups] = await Promise.all([store.find('setups'), totals === undefined ? windowRollups(store, rollupScope(query)) : []])
  const rows = (totals === undefined
    ? buildRollupReport({ setups, rollups, countersCount: dayCounts(query) }, query, store.rules)
    : buildTotalsReport(setups, totals, query, store.rules)).slice(0, limit)
  return { rows, nonUserChannels: nonUserChannels(rows) }
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

/**
 * Usage is kept per UTC day; a window that starts or ends within a day (a day in another time zone)
 * counts the days whose noon (UTC) falls inside it — for a window of whole UTC days, every day in it.
 */
function dayCounts(window: TimeWindow): (day: Pick<UsageRecord, 'day'>) => boolean {
  if (window.since === undefined && window.until === undefined) return () => true
  const since = window.since === undefined ? undefined : toIsoTimestamp(window.since, 'since')
  const until = window.until === undefined ? undefined : toIsoTimestamp(window.until, 'until')
  return (day) => {
    const noon = `${day.day}T12:00:00.000Z`
    return (since === undefined || noon >= since) && (until === undefined || noon < until)
  }
}

function windowScope(query: ReportQuery): RecordQuery {
  return { ...windowQuery(query), ...(query.project === undefined ? {} : { project: query.project }), order: 'any' }
}

/** A grouped report question: the report split by period, project or agent. */
export interface GroupedReportQuery extends ReportQuery {
  readonly by: ReportGrouping
  /** The IANA zone calendar periods are counted in; default UTC. */
  readonly timeZone?: string | undefined
}

/** A report split into groups. */
export interface GroupedReport {
  readonly by: ReportGrouping
  readonly timeZone: string
  readonly groups: readonly ReportGroup[]
}

/**
 * The report of each day, week (from Monday), month, project or agent in the window (see
 * `buildReportGroups`), each group's rows ranked as in {@link setupReport}.
 * @throws {TrackerError} INVALID_QUERY for an unknown grouping or time zone, INVALID_TIMESTAMP for a bad window.
 */
export async function groupedReport(store: TrackerStore, query: GroupedReportQuery): Promise<GroupedReport> {
  if (!REPORT_GROUPINGS.includes(query.by)) {
    throw new TrackerError('INVALID_QUERY', `Invalid grouping ${describeValue(query.by)}: accepted are ${REPORT_GROUPINGS.join(', ')}.`)
  }
  const timeZone = checkTimeZone(query.timeZone ?? 'UTC')
  const scope = windowScope(query)
  const [setups, commits, gradeEvents, bugs, days] = await Promise.all([
    store.find('setups'), store.findCommitRefs(scope), store.find('gradeEvents', scope), store.find('bugs', scope), store.find('usage', scope),
  ])
  const groups = buildReportGroups({ setups, commits, gradeEvents, bugs, usage: days.filter(dayCounts(query)) }, query.by, { timeZone, filter: query, rules: store.rules })
  return { by: query.by, timeZone, groups }
}
