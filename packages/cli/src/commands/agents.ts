import type { LeaderboardRow } from '@agent-tracker/core'
import { leaderboard } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { score } from '../format.js'
import type { ReportOptions } from './report.js'
import { hasSetupFilter, noMatch, reportScope } from './report.js'

/**
 * `agents`: the leaderboard. With `--project` or a window it lists only the setups that worked
 * there and then, with their commits and bugs there; SP, XP and CS stay current (and say so).
 */
export async function agentsCommand(ctx: CommandContext, options: ReportOptions): Promise<void> {
  const store = await ctx.readStore()
  const { query, window, narrowed } = await reportScope(ctx, store, options)
  const rows = await leaderboard(store, query)
  // A setup, agent or model that matches nothing: the filters, and what was recorded (a typo shows).
  const none = rows.length === 0 && hasSetupFilter(query) ? await noMatch(store, query) : ''
  if (none !== '') ctx.notice('NO_MATCH', none)
  ctx.print(rows, () => {
    if (rows.length === 0) return none !== '' ? none : narrowed ? 'No setup worked in this window.' : 'No setups recorded yet.'
    const now = narrowed ? ' NOW' : ''
    const table = ctx.table<LeaderboardRow>([
      { header: '#', value: (r) => String(r.rank), align: 'right', priority: 9 },
      { header: 'SETUP', value: (r) => r.status.setup, priority: 10 },
      { header: `SP${now}`, value: (r) => score(r.status.state.skillPoints), align: 'right', priority: 8 },
      { header: 'TRUST', value: (r) => r.status.trustTier, priority: 4 },
      { header: `XP${now}`, value: (r) => score(r.status.state.experience), align: 'right', priority: 6 },
      { header: `CS${now}`, value: (r) => score(r.status.state.communication), align: 'right', priority: 7 },
      { header: 'COMMUNICATION', value: (r) => r.status.communicationTier, priority: 3 },
      { header: 'COMMITS', value: (r) => String(r.window?.commits ?? r.status.state.commits), align: 'right', priority: 5 },
      { header: 'BUGS', value: (r) => String(r.window?.bugs ?? r.status.state.bugs), align: 'right', priority: 5 },
      { header: 'STATE', value: (r) => (r.status.halted ? ctx.colours.red('halted') : 'active'), priority: 6 },
    ], rows)
    if (!narrowed) return table
    const scope = [options.project === undefined ? undefined : `project ${options.project}`, window.description === '' ? undefined : window.description].filter((part) => part !== undefined).join(', ')
    return `${table}\n${ctx.colours.dim(`SP, XP and CS are current totals; COMMITS and BUGS count ${scope}. For what each setup earned there, see agent-tracker report.`)}`
  })
}
