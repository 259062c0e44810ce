import type { LeaderboardRow, SetupFilter } from '@agent-tracker/core'
import { buildLeaderboard } from '@agent-tracker/core'
import type { CommandContext } from '../context.js'
import { score } from '../format.js'

/** `agents`: the leaderboard. */
export async function agentsCommand(ctx: CommandContext, filter: SetupFilter): Promise<void> {
  const store = ctx.openStore('read')
  const rows = buildLeaderboard(await store.find('setups'), store.rules, filter)
  ctx.print(rows, () => {
    if (rows.length === 0) return 'No setups recorded yet.'
    return ctx.table<LeaderboardRow>([
      { header: '#', value: (r) => String(r.rank), align: 'right', priority: 9 },
      { header: 'SETUP', value: (r) => r.status.setup, priority: 10 },
      { header: 'SP', value: (r) => score(r.status.state.skillPoints), align: 'right', priority: 8 },
      { header: 'TRUST', value: (r) => r.status.trustTier, priority: 4 },
      { header: 'XP', value: (r) => score(r.status.state.experience), align: 'right', priority: 6 },
      { header: 'CS', value: (r) => score(r.status.state.communication), align: 'right', priority: 7 },
      { header: 'COMMUNICATION', value: (r) => r.status.communicationTier, priority: 3 },
      { header: 'COMMITS', value: (r) => String(r.status.state.commits), align: 'right', priority: 5 },
      { header: 'BUGS', value: (r) => String(r.status.state.bugs), align: 'right', priority: 5 },
      { header: 'STATE', value: (r) => (r.status.halted ? ctx.colours.red('halted') : 'active'), priority: 6 },
    ], rows)
  })
}
