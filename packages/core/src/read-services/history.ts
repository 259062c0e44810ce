import type { HistoryEntry } from '../reports/history.js'
import { buildHistory } from '../reports/history.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_LIST_LIMIT, boundOf } from './read-limits.js'
import type { ListQuery } from './read-query.js'
import { recordQuery } from './read-query.js'

/** A history question: one setup's timeline. */
export interface HistoryQuery extends ListQuery {
  readonly setup: string
}

/**
 * A setup's commits, grades, bugs and journal entries as one timeline, newest first: the newest
 * `limit` of each kind are read, merged, and cut to `limit`.
 * @throws {TrackerError} INVALID_QUERY for a bad limit, INVALID_TIMESTAMP for a bad window.
 */
export async function history(store: TrackerStore, query: HistoryQuery): Promise<HistoryEntry[]> {
  const limit = boundOf(query.limit, DEFAULT_LIST_LIMIT)
  const newest = recordQuery(query, limit)
  const [commits, gradeEvents, bugs, activities] = await Promise.all([
    store.find('commits', newest), store.find('gradeEvents', newest), store.find('bugs', newest), store.find('activities', newest),
  ])
  return buildHistory({ commits, gradeEvents, bugs, activities }, limit)
}
