import type { ReportQuery, SetupFilter, SetupReportRow, TrackerStore } from '@agent-tracker/core'
import { setupReport, toTimeWindow } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { decimal, money, moneyDecimals, percent, score, tokens } from '../format.js'
import { CHANNELS_EXPLAINED, channelCell, channelsOf } from '../grade-channels.js'
import type { Column } from '../table.js'
import { resolveProject } from './lookups.js'

/** Filters of `report`, `agents` and `export`. */
export interface ReportOptions extends SetupFilter {
  readonly project?: string
  readonly since?: string
  readonly until?: string
}

/**
 * The query of the report filters: `--since/--until` as a window (a bare `--until` date includes
 * that day), `--project` resolved to a recorded path.
 * @throws {TrackerError} INVALID_TIMESTAMP on a bad date, UNKNOWN_PROJECT or AMBIGUOUS_PROJECT.
 */
export async function reportQuery(ctx: CommandContext, store: TrackerStore, options: ReportOptions): Promise<ReportQuery> {
  const window = toTimeWindow(options)
  const project = options.project === undefined ? undefined : await resolveProject(store, options.project, ctx.io.cwd)
  return { ...window, ...(project === undefined ? {} : { project }), ...setupFilterOf(options) }
}

/** The setup filter of the options: only the fields given. */
export function setupFilterOf(options: SetupFilter): SetupFilter {
  return Object.fromEntries(Object.entries({ setup: options.setup, agent: options.agent, model: options.model }).filter((entry) => entry[1] !== undefined))
}

/** The filters a query applies, as JSON output shows them: window and project, then setup filter. */
export function appliedFilters(query: ReportQuery): Record<string, string> {
  const { since, until, project, setup, agent, model } = query
  return Object.fromEntries(Object.entries({ since, until, project, setup, agent, model }).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/**
 * `report`: outcomes per setup across projects; when any user grade came through a channel not
 * the user's own, a second table shows user grades by channel.
 */
export async function reportCommand(ctx: CommandContext, options: ReportOptions): Promise<void> {
  const store = ctx.openStore('read')
  const query = await reportQuery(ctx, store, options)
  const { rows, nonUserChannels } = await setupReport(store, query)
  ctx.print({ filters: appliedFilters(query), setups: rows, nonUserChannels }, () => {
    if (rows.length === 0) return 'No recorded work matches these filters.'
    const report = ctx.table(reportColumns(rows), rows)
    if (nonUserChannels.length === 0) return report
    const graded = rows.filter((row) => row.userGradesByChannel.length > 0)
    const channels: Column<SetupReportRow>[] = channelsOf(graded).map((channel) => ({ header: channel.toUpperCase(), value: (r) => channelCell(r, channel), align: 'right', priority: 5 }))
    return [report, '', ctx.colours.bold('User grades by channel'), CHANNELS_EXPLAINED, ctx.table([{ header: 'SETUP', value: (r) => r.setup, priority: 10 }, ...channels], graded)].join('\n')
  })
}

/** The report table's columns for these rows, most important kept on narrow terminals. */
export function reportColumns(rows: readonly SetupReportRow[]): Column<SetupReportRow>[] {
  const cents = moneyDecimals(rows.map((r) => r.costPerCommit))
  return [
    { header: 'SETUP', value: (r) => r.setup, priority: 10 },
    { header: 'COMMITS', value: (r) => String(r.commits), align: 'right', priority: 9 },
    { header: 'BUGS/C', value: (r) => decimal(r.bugsPerCommit), align: 'right', priority: 8 },
    { header: 'USER⌀', value: (r) => (r.meanUserGrade === null ? '–' : `${score(r.meanUserGrade)} (${String(r.userGrades)})`), align: 'right', priority: 9 },
    { header: 'AGENT⌀', value: (r) => score(r.meanAgentGrade), align: 'right', priority: 4 },
    { header: 'CS', value: (r) => score(r.communication), align: 'right', priority: 5 },
    { header: 'XP', value: (r) => score(r.experience), align: 'right', priority: 2 },
    { header: 'SP', value: (r) => `${score(r.skillPoints)} ${r.trustTier}${r.halted ? ' (halted)' : ''}`, priority: 6 },
    { header: 'TOOL FAIL', value: (r) => percent(r.toolFailureRate), align: 'right', priority: 3 },
    { header: 'TOKENS/C', value: (r) => tokens(r.tokensPerCommit), align: 'right', priority: 4 },
    { header: 'COST/C', value: (r) => money(r.costPerCommit, cents), align: 'right', priority: 7 },
  ]
}
