import type { ReportRecords, SetupFilter, SetupReportRow, TrackerStore } from '@agent-tracker/core'
import { buildSetupReport, toTimeWindow } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { decimal, money, moneyDecimals, percent, score, tokens } from '../format.js'
import type { Column } from '../table.js'
import { resolveProject } from './lookups.js'

/** Filters of `report`, `export` and `history`. */
export interface ReportOptions extends SetupFilter {
  readonly project?: string
  readonly since?: string
  readonly until?: string
}

/** The records of a report window, narrowed by project and time in the store. */
export async function reportRecords(ctx: CommandContext, store: TrackerStore, options: ReportOptions): Promise<ReportRecords & { window: Record<string, string> }> {
  const window = toTimeWindow(options)
  const project = options.project === undefined ? undefined : await resolveProject(store, options.project, ctx.io.cwd)
  const query = { ...window, ...(project === undefined ? {} : { project }), order: 'any' as const }
  const [setups, commits, gradeEvents, bugs, usage] = await Promise.all([
    store.find('setups'), store.findCommitRefs(query), store.find('gradeEvents', query), store.find('bugs', query), store.find('usage', query),
  ])
  const { order: _order, ...filters } = query
  return { setups, commits, gradeEvents, bugs, usage, window: filters }
}

/** `report`: outcomes per setup across projects. */
export async function reportCommand(ctx: CommandContext, options: ReportOptions): Promise<void> {
  const store = ctx.openStore('read')
  const records = await reportRecords(ctx, store, options)
  const rows = buildSetupReport(records, options)
  ctx.print({ filters: { ...records.window, ...filterOf(options) }, setups: rows }, () => {
    if (rows.length === 0) return 'No recorded work matches these filters.'
    return ctx.table(reportColumns(rows), rows)
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

function filterOf(options: ReportOptions): Record<string, string> {
  return Object.fromEntries(Object.entries({ agent: options.agent, model: options.model }).filter((entry): entry is [string, string] => entry[1] !== undefined))
}
