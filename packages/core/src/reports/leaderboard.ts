import type { SetupRecord } from '../store/records.js'
import type { ScoringRules } from '../scoring/rules.js'
import type { AgentStatus } from '../scoring/status.js'
import { toAgentStatus } from '../scoring/status.js'
import type { SetupFilter } from './setup-filter.js'
import { matchesSetupFilter } from './setup-filter.js'
import { compareText } from '../text/compare-text.js'

/** A setup's commits and bugs inside a project or time window. */
export interface WindowCounts {
  readonly commits: number
  readonly bugs: number
}

/** A leaderboard place; `window` is present when the leaderboard is narrowed to a project or time window. */
export interface LeaderboardRow {
  readonly rank: number
  readonly status: AgentStatus
  readonly window?: WindowCounts
}

/** Setups ranked by skill points, then experience, then communication score; halted setups last. */
export function buildLeaderboard(setups: readonly SetupRecord[], rules: ScoringRules, filter: SetupFilter = {}): LeaderboardRow[] {
  return setups
    .filter((setup) => matchesSetupFilter(setup.id, filter))
    .map((setup) => toAgentStatus(setup, rules))
    .sort((a, b) =>
      Number(a.halted) - Number(b.halted)
      || b.state.skillPoints - a.state.skillPoints
      || b.state.experience - a.state.experience
      || b.state.communication - a.state.communication
      || compareText(a.setup, b.setup))
    .map((status, index) => ({ rank: index + 1, status }))
}
