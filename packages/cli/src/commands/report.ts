import type { ReportGroup, ReportQuery, SetupFilter, SetupReportRow, TrackerStore } from '@agent-tracker/core'
import { REPORT_GROUPINGS, closestMatches, evidenceSummaries, groupedReport, nonUserChannels as channelsNotTheUsers, parseSetupId, setupReport, suggestSetups } from '@agent-tracker/core'
import { CliError, EXIT } from '../cli-error.js'
import { evidenceTable } from '../evidence-table.js'
import type { CommandContext } from '../context.js'
import { cutDaysNote, zonedPeriodsNote } from '../cut-days.js'
import { costNotes, costPerCommitCell } from '../estimated-cost.js'
import { gain, grade, percent, perCommit, plural, score, tokens } from '../format.js'
import type { ChannelRow } from '../grade-channels.js'
import { channelCell, channelRowsBySetup, channelsExplained, channelsOf } from '../grade-channels.js'
import type { Column } from '../table.js'
import type { ResolvedWindow, WindowFlags } from '../time/time-window.js'
import { didYouMean, recordedSetupId, resolveProject } from './lookups.js'

/** Filters of `report`, `agents` and `export`. */
export interface ReportOptions extends SetupFilter, WindowFlags {
  readonly project?: string
}

/** The question the report filters ask, and the window they set. */
export interface ReportScope {
  readonly query: ReportQuery
  readonly window: ResolvedWindow
  /** True when the work counted is narrowed by project or time: current totals then differ from what it earned. */
  readonly narrowed: boolean
}

/**
 * The scope of the report filters: the window in the time zone, `--project` resolved to a
 * recorded path, the setup filter.
 * @throws {CliError} INVALID_OPTION (usage) for a bad window; {TrackerError} UNKNOWN_PROJECT or AMBIGUOUS_PROJECT.
 */
export async function reportScope(ctx: CommandContext, store: TrackerStore, options: ReportOptions): Promise<ReportScope> {
  const window = ctx.window(options)
  const project = options.project === undefined ? undefined : await resolveProject(store, options.project, ctx.io)
  const query = {
    ...(window.since === undefined ? {} : { since: window.since }),
    ...(window.until === undefined ? {} : { until: window.until }),
    ...(project === undefined ? {} : { project }),
    ...setupFilterOf(options.setup === undefined ? options : { ...options, setup: await recordedSetupId(store, options.setup) }),
  }
  return { query, window, narrowed: project !== undefined || window.description !== '' }
}

/** The setup filter of the options: only the fields given. */
export function setupFilterOf(options: SetupFilter): SetupFilter {
  return Object.fromEntries(Object.entries({ setup: options.setup, agent: options.agent, model: options.model }).filter((entry) => entry[1] !== undefined))
}

/** Setups listed at most when a `--setup` filter matches none; beyond it, the count and where to see them. */
const SETUPS_LISTED = 12
/** Values named at most in a filter's "Did you mean". */
const SUGGESTED = 3

/**
 * What to say when nothing matches: the filters, and for a setup, agent or model filter the
 * setups, agents or models that were recorded (a typo such as `--model gpt5` otherwise looks like
 * no work at all).
 */
export async function noMatch(store: TrackerStore, query: ReportQuery): Promise<string> {
  const filters = Object.entries(appliedFilters(query)).map(([name, value]) => `${name} ${value}`)
  const lines = [`No recorded work matches these filters${filters.length === 0 ? '' : ` (${filters.join(', ')})`}.`]
  if (query.setup === undefined && query.agent === undefined && query.model === undefined) return lines[0] ?? ''
  const ids = (await store.find('setups', { order: 'any' })).map((setup) => setup.id)
  const parts = ids.map((id) => parseSetupId(id))
  const known = (values: readonly (string | undefined)[]): string => [...new Set(values.filter((value): value is string => value !== undefined))].sort().join(', ') || 'none yet'
  const agents = [...new Set(parts.map((part) => part.agent))]
  const models = [...new Set(parts.map((part) => (part.provider === undefined ? part.model : `${part.provider}/${part.model ?? ''}`)).filter((model): model is string => model !== undefined))]
  const suggestions: string[] = []
  if (query.setup !== undefined && !ids.includes(query.setup)) {
    // Compared as the setup argument of other commands is (its agent, provider, model and words count).
    suggestions.push(didYouMean((await suggestSetups(store, query.setup)).close.slice(0, SUGGESTED), '--setup'))
    lines.push(ids.length <= SETUPS_LISTED ? `Setups recorded: ${known(ids)}.` : `${String(ids.length)} setups are recorded, and none is ${query.setup}; agent-tracker agents lists them.`)
  }
  if (query.agent !== undefined) {
    if (!agents.includes(query.agent)) suggestions.push(didYouMean(closestMatches(query.agent, agents, (agent) => [agent]).slice(0, SUGGESTED), '--agent'))
    lines.push(`Agents recorded: ${known(agents)}.`)
  }
  if (query.model !== undefined) {
    const names = (model: string): string[] => [model, ...model.split('/')]
    if (!models.some((model) => names(model).includes(query.model ?? ''))) suggestions.push(didYouMean(closestMatches(query.model, models, names).slice(0, SUGGESTED), '--model'))
    lines.push(`Models recorded: ${known(models)}.`)
  }
  return [...lines, ...suggestions.filter((line) => line !== '')].join('\n')
}

/** True when a query names a setup, agent or model: one that matches nothing may be a typo, said with what was recorded (see {@link noMatch}). */
export function hasSetupFilter(query: ReportQuery): boolean {
  return query.setup !== undefined || query.agent !== undefined || query.model !== undefined
}

/** The filters a query applies, as JSON output shows them: window and project, then setup filter. */
export function appliedFilters(query: ReportQuery): Record<string, string> {
  const { since, until, project, setup, agent, model } = query
  return Object.fromEntries(Object.entries({ since, until, project, setup, agent, model }).filter((entry): entry is [string, string] => entry[1] !== undefined))
}

/**
 * `report [--by …]`: outcomes per setup across projects, or per day, week, month, project or
 * agent. When any user grade came through a channel not the user's own, a second table shows
 * user grades by channel.
 */
export async function reportCommand(ctx: CommandContext, options: ReportOptions & { by?: string }): Promise<void> {
  const by = options.by === undefined ? undefined : groupingOf(options.by)
  const store = await ctx.readStore()
  const { query, window, narrowed } = await reportScope(ctx, store, options)
  const filters = appliedFilters(query)
  // Git evidence (agent-tracker evidence) beside the grades: all of it, for the project and setups asked about.
  const evidenceOf = (): ReturnType<typeof evidenceSummaries> => evidenceSummaries(store, { ...setupFilterOf(query), ...(query.project === undefined ? {} : { project: query.project }) })
  if (by === undefined) {
    const { rows, nonUserChannels, cutDays } = await setupReport(store, query)
    const evidence = await evidenceOf()
    const none = rows.length === 0 ? await noMatch(store, query) : ''
    if (none !== '' && hasSetupFilter(query)) ctx.notice('NO_MATCH', none)
    const undated = narrowed ? [] : await undatedCounts(store, rows)
    ctx.print({ filters, ...(window.description === '' ? {} : { timeZone: window.timeZone }), setups: rows, nonUserChannels, evidence, ...(undated.length === 0 ? {} : { undated }), ...(cutDays.length === 0 ? {} : { cutDays }) }, () => {
      if (rows.length === 0) return none
      const report = [heading(window), ctx.table(reportColumns(rows, { narrowed }), rows), ...costNotes(rows), ...undated.map((entry) => ctx.colours.dim(undatedNote(entry))), narrowed ? ctx.colours.dim(EARNED_NOTE) : '', ...dimmed(ctx, cutDaysNote(cutDays))].filter((part) => part !== '').join('\n')
      return [report, ...disclosures(ctx, rows, nonUserChannels, evidence)].join('\n')
    })
    return
  }
  const report = await groupedReport(store, { ...query, by, timeZone: window.timeZone })
  const groups = report.groups.map((group) => ({ key: group.key, setups: group.rows }))
  const allRows = report.groups.flatMap((group) => group.rows)
  // What the plain report says beside its table, said of the groups together: the channels grades came through, and git's evidence.
  const nonUserChannels = channelsNotTheUsers(allRows)
  const evidence = await evidenceOf()
  const none = groups.length === 0 ? await noMatch(store, query) : ''
  if (none !== '' && hasSetupFilter(query)) ctx.notice('NO_MATCH', none)
  ctx.print({ filters, by, timeZone: report.timeZone, groups, nonUserChannels, evidence, ...(report.cutDays.length === 0 ? {} : { cutDays: report.cutDays }) }, () => {
    if (groups.length === 0) return none
    const title = (group: ReportGroup): string => ctx.colours.bold(groupTitle(by, group.key, report.timeZone))
    const sections = report.groups.map((group) => `${title(group)}\n${ctx.table(reportColumns(group.rows, { narrowed: true }), group.rows)}`)
    const body = [heading(window), sections.join('\n\n'), ...costNotes(allRows), ctx.colours.dim(EARNED_NOTE), ...dimmed(ctx, cutDaysNote(report.cutDays)), ...dimmed(ctx, zonedPeriodsNote(by, report.timeZone, ctx.now()))].filter((part) => part !== '').join('\n')
    return [body, ...disclosures(ctx, channelRowsBySetup(allRows), nonUserChannels, evidence)].join('\n')
  })
}

/** What follows the report's tables: user grades by channel when any came through a channel not the user's own, and git's evidence. */
function disclosures(ctx: CommandContext, rows: readonly ChannelRow[], nonUserChannels: readonly string[], evidence: Awaited<ReturnType<typeof evidenceSummaries>>): string[] {
  return [
    ...(nonUserChannels.length === 0 ? [] : ['', channelTable(ctx, rows)]),
    ...(evidence.length === 0 ? [] : ['', ctx.colours.bold('Git evidence (all time)'), ...evidenceTable(ctx, evidence)]),
  ]
}

/** Commits and bugs a setup's scores count beyond the dated records a report counts. */
interface UndatedCounts {
  readonly setup: string
  readonly commits: number
  readonly bugs: number
}

/**
 * What each setup's scores (the leaderboard's, the status card's) count beyond the report's
 * dated records: totals imported without dates, such as the predecessor's status file.
 */
async function undatedCounts(store: TrackerStore, rows: readonly SetupReportRow[]): Promise<UndatedCounts[]> {
  const states = new Map((await store.find('setups', { order: 'any' })).map((setup) => [setup.id, setup.state]))
  return rows.flatMap((row) => {
    const state = states.get(row.setup)
    const commits = Math.max(0, (state?.commits ?? 0) - row.commits)
    const bugs = Math.max(0, (state?.bugs ?? 0) - row.bugs)
    return commits === 0 && bugs === 0 ? [] : [{ setup: row.setup, commits, bugs }]
  })
}

function undatedNote({ setup, commits, bugs }: UndatedCounts): string {
  const more = [commits === 0 ? '' : plural(commits, 'commit'), bugs === 0 ? '' : plural(bugs, 'bug')].filter((part) => part !== '').join(' and ')
  return `${setup}: its scores, and agents and status, also count ${more} imported without dates (such as the predecessor's status file), which this report of dated work leaves out.`
}

/** User grades by the channel they came through, shown when any came through a channel not the user's own. */
function channelTable(ctx: CommandContext, rows: readonly ChannelRow[]): string {
  const graded = rows.filter((row) => row.userGradesByChannel.length > 0)
  const shown = channelsOf(graded)
  const channels: Column<ChannelRow>[] = shown.map((channel) => ({ header: channel.toUpperCase(), value: (r) => channelCell(r, channel), align: 'right', priority: 5 }))
  return [ctx.colours.bold('User grades by channel'), channelsExplained(shown), ctx.table([{ header: 'SETUP', value: (r) => r.setup, priority: 10 }, ...channels], graded)].join('\n')
}

/** A note, dimmed as the report's other notes are; nothing when there is none. */
function dimmed(ctx: CommandContext, note: string | undefined): string[] {
  return note === undefined ? [] : [ctx.colours.dim(note)]
}

const EARNED_NOTE = 'XP+ and CS± are what the work shown earned; SP NOW is the current total.'

function heading(window: ResolvedWindow): string {
  return window.description === '' ? '' : `Window: ${window.description}\n`
}

function groupingOf(value: string): (typeof REPORT_GROUPINGS)[number] {
  if (value === 'member') {
    throw new CliError('INVALID_OPTION', '--by member is not supported yet: on a team database, narrow the report to one member with --team --member <name>; --by agent groups by the setup\'s agent.', EXIT.usage)
  }
  const grouping = REPORT_GROUPINGS.find((known) => known === value)
  if (grouping === undefined) throw new CliError('INVALID_OPTION', `Invalid --by "${value}": accepted are ${REPORT_GROUPINGS.join(', ')}.`, EXIT.usage)
  return grouping
}

function groupTitle(by: string, key: string, timeZone: string): string {
  switch (by) {
    case 'day': return `${key} (${timeZone})`
    case 'week': return `Week of ${key} (${timeZone})`
    case 'month': return `${key} (${timeZone})`
    case 'project': return `Project ${key}`
    default: return `Agent ${key}`
  }
}

/**
 * The report table's columns for these rows, most important kept on narrow terminals. Narrowed
 * to a project or window, XP and CS are what the work earned there, SP the current total.
 */
export function reportColumns(rows: readonly SetupReportRow[], options: { readonly narrowed: boolean } = { narrowed: false }): Column<SetupReportRow>[] {
  const scores: Column<SetupReportRow>[] = options.narrowed
    ? [
        { header: 'CS±', value: (r) => gain(r.communicationGained), align: 'right', priority: 5 },
        { header: 'XP+', value: (r) => gain(r.experienceGained), align: 'right', priority: 2 },
        { header: 'SP NOW', value: (r) => `${score(r.skillPoints)} ${r.trustTier}${r.halted ? ' (halted)' : ''}`, priority: 6 },
      ]
    : [
        { header: 'CS', value: (r) => score(r.communication), align: 'right', priority: 5 },
        { header: 'XP', value: (r) => score(r.experience), align: 'right', priority: 2 },
        { header: 'SP', value: (r) => `${score(r.skillPoints)} ${r.trustTier}${r.halted ? ' (halted)' : ''}`, priority: 6 },
      ]
  return [
    { header: 'SETUP', value: (r) => r.setup, priority: 10 },
    { header: 'COMMITS', value: (r) => String(r.commits), align: 'right', priority: 9 },
    // Bugs with no commit to count them per are shown as a count: a dash would hide them.
    { header: 'BUGS/C', value: (r) => (r.commits === 0 && r.bugs > 0 ? plural(r.bugs, 'bug') : perCommit(r.bugsPerCommit)), align: 'right', priority: 8 },
    { header: 'USER⌀', value: (r) => (r.meanUserGrade === null ? '–' : `${grade(r.meanUserGrade)} (${String(r.userGrades)})`), align: 'right', priority: 9 },
    { header: 'AGENT⌀', value: (r) => grade(r.meanAgentGrade), align: 'right', priority: 4 },
    ...scores,
    { header: 'TOOL FAIL', value: (r) => percent(r.toolFailureRate), align: 'right', priority: 3 },
    { header: 'TOKENS/C', value: (r) => tokens(r.tokensPerCommit), align: 'right', priority: 4 },
    { header: 'COST/C', value: (r) => costPerCommitCell(r), align: 'right', priority: 7 },
  ]
}
