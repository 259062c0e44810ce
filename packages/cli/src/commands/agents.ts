import type { LeaderboardRow } from '@agent-tracker/core'
import { buildLeaderboard } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { score } from '../format.js'
import type { ReportOptions } from './report.js'
import { reportRecords } from './report.js'

/** A leaderboard place with the setup's commits and bugs inside the chosen project and time window. */
interface ScopedRow extends LeaderboardRow {
  readonly window?: { readonly commits: number; readonly bugs: number }
}

/**
 * `agents`: the leaderboard. With `--project`, `--since` or `--until` it lists only the setups
 * that worked there and then, with their commits and bugs there; SP, XP and CS stay current.
 */
export async function agentsCommand(ctx: CommandContext, options: ReportOptions): Promise<void> {
  const store = ctx.openStore('read')
  const scoped = options.project !== undefined || options.since !== undefined || options.until !== undefined
  let rows: ScopedRow[]
  if (scoped) {
    const records = await reportRecords(ctx, store, options)
    const counts = new Map<string, { commits: number; bugs: number }>()
    const count = (setup: string): { commits: number; bugs: number } => {
      const found = counts.get(setup) ?? { commits: 0, bugs: 0 }
      counts.set(setup, found)
      return found
    }
    for (const commit of records.commits) count(commit.setup).commits += 1
    for (const bug of records.bugs) count(bug.setup).bugs += 1
    for (const record of [...records.gradeEvents, ...records.usage]) count(record.setup)
    rows = buildLeaderboard(records.setups.filter((setup) => counts.has(setup.id)), store.rules, options)
      .map((row) => ({ ...row, window: counts.get(row.status.setup) ?? { commits: 0, bugs: 0 } }))
  } else {
    rows = buildLeaderboard(await store.find('setups'), store.rules, options)
  }
  ctx.print(rows, () => {
    if (rows.length === 0) return scoped ? 'No setup worked in this window.' : 'No setups recorded yet.'
    const table = ctx.table<ScopedRow>([
      { header: '#', value: (r) => String(r.rank), align: 'right', priority: 9 },
      { header: 'SETUP', value: (r) => r.status.setup, priority: 10 },
      { header: 'SP', value: (r) => score(r.status.state.skillPoints), align: 'right', priority: 8 },
      { header: 'TRUST', value: (r) => r.status.trustTier, priority: 4 },
      { header: 'XP', value: (r) => score(r.status.state.experience), align: 'right', priority: 6 },
      { header: 'CS', value: (r) => score(r.status.state.communication), align: 'right', priority: 7 },
      { header: 'COMMUNICATION', value: (r) => r.status.communicationTier, priority: 3 },
      { header: 'COMMITS', value: (r) => String(r.window?.commits ?? r.status.state.commits), align: 'right', priority: 5 },
      { header: 'BUGS', value: (r) => String(r.window?.bugs ?? r.status.state.bugs), align: 'right', priority: 5 },
      { header: 'STATE', value: (r) => (r.status.halted ? ctx.colours.red('halted') : 'active'), priority: 6 },
    ], rows)
    return scoped ? `${table}\n${ctx.colours.dim(`SP, XP and CS are current totals; COMMITS and BUGS count ${describeScope(options)}.`)}` : table
  })
}

function describeScope(options: ReportOptions): string {
  return [
    options.project === undefined ? undefined : `project ${options.project}`,
    options.since === undefined ? undefined : `since ${options.since}`,
    options.until === undefined ? undefined : `until ${options.until}`,
  ].filter((part) => part !== undefined).join(', ')
}
