import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'
import type { ReportGroup, ReportGrouping } from '../reports/report-groups.js'
import { REPORT_GROUPINGS, buildReportGroups, buildRollupReportGroups, rollupPartGroups, rollupsSplitBy } from '../reports/report-groups.js'
import { periodRollups } from './period-rollups.js'
import type { SetupFilter } from '../reports/setup-filter.js'
import type { SetupReportRow } from '../reports/setup-report.js'
import { buildRollupReport, buildTotalsReport, nonUserChannels } from '../reports/setup-report.js'
import type { GradeChannel } from '../facts/grade-channel.js'
import type { SetupTrend } from '../reports/trends.js'
import { trendsOfWeeks } from '../reports/trends.js'
import type { UsageRecord } from '../store/records.js'
import type { RecordQuery, TrackerStore } from '../store/tracker-store.js'
import { checkTimeZone } from '../time/calendar.js'
import type { TimeWindow } from './read-query.js'
import { windowQuery } from './read-query.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'
import type { CutDay, RollupScope } from './window-rollups.js'
import { countersCountIn, cutDaysOf, windowRollups } from './window-rollups.js'

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
  /**
   * The UTC days the window cuts on which the setups reported have tool calls, tokens or cost,
   * oldest first: those are kept per day, so there they count whole or not at all (see
   * `countersCountIn`), and apps say so. Empty without a window or when its edges fall at UTC midnight.
   */
  readonly cutDays: readonly CutDay[]
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
    ? buildRollupReport({ setups, rollups, countersCount: countersCountIn(query) }, query, store.rules)
    : buildTotalsReport(setups, totals, query, store.rules)).slice(0, limit)
  const reported = new Set(rows.map((row) => row.setup))
  return { rows, nonUserChannels: nonUserChannels(rows), cutDays: cutDaysOf(query, rollups.filter((rollup) => reported.has(rollup.setup))) }
}

/** A trends question: the report's filters, and the zone whose weeks (from Monday) are counted. */
export interface TrendsQuery extends ReportQuery {
  /** The IANA zone (or UTC offset) weeks are counted in; default UTC. */
  readonly timeZone?: string | undefined
}

/**
 * Each setup's weekly commits, mean user grade and cost in the window, oldest week first, for
 * charts of trends over time: the weeks of {@link groupedReport} by `week` in the query's time
 * zone, so a chart and `report --by week` agree. A day the window cuts counts its cost as
 * {@link setupReport} does (see `countersCountIn`).
 * @throws {TrackerError} INVALID_QUERY for a bad limit or time zone, INVALID_TIMESTAMP for a bad window.
 */
export async function setupTrends(store: TrackerStore, query: TrendsQuery = {}): Promise<SetupTrend[]> {
  const limit = boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT)
  const weeks = await groupedReport(store, { ...query, by: 'week' })
  return trendsOfWeeks(weeks.groups).slice(0, limit)
}

function rollupScope(query: ReportQuery): RollupScope {
  return { ...windowQuery(query), ...(query.project === undefined ? {} : { project: query.project }), ...(query.setup === undefined ? {} : { setup: query.setup }) }
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
  /** The days the window cuts on which the setups reported have tool calls, tokens or cost (see `SetupReport.cutDays`). */
  readonly cutDays: readonly CutDay[]
}

/**
 * The report of each day, week (from Monday), month, project or agent in the window (see
 * `buildReportGroups`), each group's rows ranked as in {@link setupReport}. By project or agent, and
 * by period in UTC, it reads the window's day rollups as {@link setupReport} does (see
 * `buildRollupReportGroups`); by week or month in another zone, the rollups and the records of the
 * one UTC day each period starts inside (see `periodRollups`); by day in another zone, whose every
 * day starts inside a UTC day, the window's commits, grades and bugs.
 * @throws {TrackerError} INVALID_QUERY for an unknown grouping or time zone, INVALID_TIMESTAMP for a bad window.
 */
export async function groupedReport(store: TrackerStore, query: GroupedReportQuery): Promise<GroupedReport> {
  if (!REPORT_GROUPINGS.includes(query.by)) {
    throw new TrackerError('INVALID_QUERY', `Invalid grouping ${describeValue(query.by)}: accepted are ${REPORT_GROUPINGS.join(', ')}.`)
  }
  const timeZone = checkTimeZone(query.timeZone ?? 'UTC')
  const { groups, rollups } = await reportGroups(store, query, timeZone)
  const reported = new Set(groups.flatMap((group) => group.rows.map((row) => row.setup)))
  return { by: query.by, timeZone, groups, cutDays: cutDaysOf(query, rollups.filter((rollup) => reported.has(rollup.setup))) }
}

/** {@link groupedReport}'s groups, and the window's day rollups it read (for its cut days). */
async function reportGroups(store: TrackerStore, query: GroupedReportQuery, timeZone: string): Promise<{ groups: ReportGroup[]; rollups: readonly UsageRecord[] }> {
  const countersCount = countersCountIn(query)
  if (rollupsSplitBy(query.by, timeZone)) {
    // The window's day rollups, exact at its edges, as `setupReport` reads them: their cost follows the days worked, not the commits made.
    const [setups, rollups] = await Promise.all([store.find('setups'), windowRollups(store, rollupScope(query))])
    return { groups: buildRollupReportGroups({ setups, rollups, countersCount }, query.by, { timeZone, filter: query, rules: store.rules }), rollups }
  }
  if (query.by === 'week' || query.by === 'month') {
    // The rollups of the UTC days inside one period, and the records of the day each period starts inside.
    const [setups, { parts, rollups }] = await Promise.all([store.find('setups'), periodRollups(store, rollupScope(query), query.by, timeZone)])
    return { groups: rollupPartGroups(parts, { setups, countersCount }, { filter: query, rules: store.rules }), rollups }
  }
  const scope = windowScope(query)
  const [setups, commits, gradeEvents, bugs, days] = await Promise.all([
    store.find('setups'), store.findCommitRefs(scope), store.find('gradeEvents', scope), store.find('bugs', scope), store.find('usage', scope),
  ])
  return { groups: buildReportGroups({ setups, commits, gradeEvents, bugs, usage: days.filter(countersCount) }, query.by, { timeZone, filter: query, rules: store.rules }), rollups: days }
}
