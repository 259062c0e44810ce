import type { LeaderboardRow } from '../reports/leaderboard.js'
import { buildLeaderboard } from '../reports/leaderboard.js'
import type { SetupFilter } from '../reports/setup-filter.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'
import type { TimeWindow } from './read-query.js'
import { windowQuery } from './read-query.js'
import { countersCountIn, windowRollups } from './window-rollups.js'
import { hasOutcomes, storedRollup } from '../rollups/usage-rollup.js'

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
 * there, each with its commits and bugs there (`window`, from the day rollups); scores stay
 * current totals.
 * @throws {TrackerError} INVALID_QUERY for a bad limit, INVALID_TIMESTAMP for a bad window.
 */
export async function leaderboard(store: TrackerStore, query: LeaderboardQuery = {}): Promise<LeaderboardRow[]> {
  const limit = boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT)
  const setups = await store.find('setups')
  if (query.project === undefined && query.since === undefined && query.until === undefined) {
    return buildLeaderboard(setups, store.rules, query).slice(0, limit)
  }
  const window = windowQuery(query)
  const rollups = await windowRollups(store, { ...window, ...(query.project === undefined ? {} : { project: query.project }) })
  // As the report counts a window: a day it cuts counts its tool calls, tokens and cost only when its
  // noon is inside the window, so a setup whose only work that day lies outside it did no work there.
  const countersCount = countersCountIn(window)
  const counts = new Map<string, { commits: number; bugs: number }>()
  for (const day of rollups) {
    if (!countersCount(day) && !hasOutcomes(storedRollup(day))) continue
    const found = counts.get(day.setup) ?? { commits: 0, bugs: 0 }
    found.commits += day.commits
    found.bugs += day.bugs
    counts.set(day.setup, found)
  }
  return buildLeaderboard(setups.filter((setup) => counts.has(setup.id)), store.rules, query)
    .slice(0, limit)
    .map((row): LeaderboardRow => ({ ...row, window: counts.get(row.status.setup) ?? { commits: 0, bugs: 0 } }))
}
