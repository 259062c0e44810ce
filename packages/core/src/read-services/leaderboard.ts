import type { LeaderboardRow } from '../reports/leaderboard.js'
import { buildLeaderboard } from '../reports/leaderboard.js'
import type { SetupFilter } from '../reports/setup-filter.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'
import type { TimeWindow } from './read-query.js'
import { windowQuery } from './read-query.js'

/** A leaderboard question: setups by filter, optionally only those that worked in a project or window. */
export interface LeaderboardQuery extends SetupFilter, TimeWindow {
  /** Only setups that worked in this project (its path). */
  readonly project?: string | undefined
  /** At most this many places; default 1000. */
  readonly limit?: number | undefined
}

/**
 * The leaderboard: setups ranked by skill points, then experience, then communication score,
 * halted setups last. Narrowed to a project or time window, it ranks only the setups that worked
 * there, each with its commits and bugs there (`window`); scores stay current totals.
 * @throws {TrackerError} INVALID_QUERY for a bad limit, INVALID_TIMESTAMP for a bad window.
 */
export async function leaderboard(store: TrackerStore, query: LeaderboardQuery = {}): Promise<LeaderboardRow[]> {
  const limit = boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT)
  const setups = await store.find('setups')
  if (query.project === undefined && query.since === undefined && query.until === undefined) {
    return buildLeaderboard(setups, store.rules, query).slice(0, limit)
  }
  const scope = { ...windowQuery(query), ...(query.project === undefined ? {} : { project: query.project }), order: 'any' as const }
  const [commits, bugs, gradeEvents, usage] = await Promise.all([
    store.findCommitRefs(scope), store.find('bugs', scope), store.find('gradeEvents', scope), store.find('usage', scope),
  ])
  const counts = new Map<string, { commits: number; bugs: number }>()
  const count = (setup: string): { commits: number; bugs: number } => {
    const found = counts.get(setup) ?? { commits: 0, bugs: 0 }
    counts.set(setup, found)
    return found
  }
  for (const commit of commits) count(commit.setup).commits += 1
  for (const bug of bugs) count(bug.setup).bugs += 1
  for (const record of [...gradeEvents, ...usage]) count(record.setup)
  return buildLeaderboard(setups.filter((setup) => counts.has(setup.id)), store.rules, query)
    .slice(0, limit)
    .map((row): LeaderboardRow => ({ ...row, window: counts.get(row.status.setup) ?? { commits: 0, bugs: 0 } }))
}
