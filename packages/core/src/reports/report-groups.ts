import { parseSetupId } from '../facts/setup-id.js'
import type { ScoringRules } from '../scoring/rules.js'
import type { CalendarPeriod } from '../time/calendar.js'
import { calendarDayIn, periodOfDay } from '../time/calendar.js'
import { hasCounters } from '../rollups/usage-rollup.js'
import type { SetupFilter } from './setup-filter.js'
import type { ReportRecords, RollupReportRecords, SetupReportRow } from './setup-report.js'
import { buildRollupReport, buildSetupReport } from './setup-report.js'
import { compareText } from '../text/compare-text.js'

/** What a grouped report splits the work by: a calendar period in a time zone, the project, or the setup's agent. */
export type ReportGrouping = CalendarPeriod | 'project' | 'agent'

/** Every grouping, in the order help texts list them. */
export const REPORT_GROUPINGS: readonly ReportGrouping[] = ['day', 'week', 'month', 'project', 'agent']

/** One group of a grouped report: its key and the report of the work in it. */
export interface ReportGroup {
  /** `YYYY-MM-DD` (a day, or the Monday of a week), `YYYY-MM`, a project's path, or an agent's name. */
  readonly key: string
  readonly rows: readonly SetupReportRow[]
}

/**
 * Splits the records by `by` and reports each part (see `buildSetupReport`). Calendar groups take
 * each record's day in `timeZone`; usage (tokens, cost, tool calls) is kept per UTC day, so it joins
 * the group of that day. Periods come oldest first, projects and agents by name.
 */
export function buildReportGroups(records: ReportRecords, by: ReportGrouping, options: { readonly timeZone: string; readonly filter?: SetupFilter; readonly rules?: ScoringRules }): ReportGroup[] {
  const keyOf = groupKey(by, options.timeZone)
  const parts = new Map<string, { commits: ReportRecords['commits'][number][]; gradeEvents: ReportRecords['gradeEvents'][number][]; bugs: ReportRecords['bugs'][number][]; usage: ReportRecords['usage'][number][] }>()
  const part = (key: string) => {
    let found = parts.get(key)
    if (found === undefined) {
      found = { commits: [], gradeEvents: [], bugs: [], usage: [] }
      parts.set(key, found)
    }
    return found
  }
  for (const commit of records.commits) part(keyOf(commit, commit.at)).commits.push(commit)
  for (const event of records.gradeEvents) part(keyOf(event, event.at)).gradeEvents.push(event)
  for (const bug of records.bugs) part(keyOf(bug, bug.at)).bugs.push(bug)
  // Noon UTC falls on the same calendar day in every zone from UTC−12 to UTC+11. A group is opened
  // for a rollup's counters only: its commits, bugs and grades are counted from their records, and
  // a rollup holding only those would open a group of zeros beside theirs (in a zone not UTC).
  for (const day of records.usage) if (hasCounters(day)) part(keyOf(day, `${day.day}T12:00:00.000Z`)).usage.push(day)
  return [...parts]
    .sort(([a], [b]) => compareText(a, b))
    .map(([key, recordsOfGroup]) => ({ key, rows: buildSetupReport({ setups: records.setups, ...recordsOfGroup }, options.filter, options.rules) }))
    .filter((group) => group.rows.length > 0)
}

/**
 * Whether the day rollups alone split the work by `by` exactly as its records do: by project and by
 * agent, each rollup is of one project and one setup; by day, week or month in UTC, each rollup's
 * day (a UTC day) lies in one period. In another zone a period starts inside a UTC day, whose
 * rollup holds work of both sides.
 */
export function rollupsSplitBy(by: ReportGrouping, timeZone: string): boolean {
  return by === 'project' || by === 'agent' || timeZone === 'UTC'
}

/**
 * {@link buildReportGroups} from the window's day rollups (see `buildRollupReport`): the same groups
 * and rows, read from one record per setup, project and day. Only for a grouping the rollups split
 * exactly (see {@link rollupsSplitBy}).
 * @throws {RangeError} for a grouping they do not.
 */
export function buildRollupReportGroups(records: RollupReportRecords, by: ReportGrouping, options: { readonly timeZone: string; readonly filter?: SetupFilter; readonly rules?: ScoringRules }): ReportGroup[] {
  if (!rollupsSplitBy(by, options.timeZone)) throw new RangeError(`Day rollups do not split the work by ${by} in ${options.timeZone}: its records do.`)
  const keyOf = groupKey(by, 'UTC')
  const parts = new Map<string, RollupReportRecords['rollups'][number][]>()
  for (const rollup of records.rollups) {
    const key = keyOf(rollup, `${rollup.day}T12:00:00.000Z`)
    const part = parts.get(key)
    if (part === undefined) parts.set(key, [rollup])
    else part.push(rollup)
  }
  return rollupPartGroups(parts, records, options)
}

/**
 * The groups of rollups already split by group (see `periodRollups` for the periods of a zone the
 * rollups do not split), each reported as `buildRollupReport` reports a window: sorted by key, empty
 * groups left out.
 */
export function rollupPartGroups(parts: ReadonlyMap<string, RollupReportRecords['rollups']>, records: Omit<RollupReportRecords, 'rollups'>, options: { readonly filter?: SetupFilter; readonly rules?: ScoringRules }): ReportGroup[] {
  return [...parts]
    .sort(([a], [b]) => compareText(a, b))
    .map(([key, rollups]) => ({ key, rows: buildRollupReport({ ...records, rollups }, options.filter, options.rules) }))
    .filter((group) => group.rows.length > 0)
}

function groupKey(by: ReportGrouping, timeZone: string): (record: { readonly setup: string; readonly project: string }, at: string) => string {
  switch (by) {
    case 'project':
      return (record) => record.project
    case 'agent':
      return (record) => parseSetupId(record.setup).agent
    default:
      return (_, at) => periodOfDay(calendarDayIn(at, timeZone), by)
  }
}
