import type { ActivityRecord } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_LIST_LIMIT, boundOf } from './read-limits.js'
import type { ListQuery } from './read-query.js'
import { recordQuery } from './read-query.js'

/**
 * Journal entries — task, actions, outcome, decisions — newest first, of a setup or project if given.
 * @throws {TrackerError} INVALID_QUERY for a bad limit, INVALID_TIMESTAMP for a bad window.
 */
export function activity(store: TrackerStore, query: ListQuery = {}): Promise<ActivityRecord[]> {
  return store.find('activities', recordQuery(query, boundOf(query.limit, DEFAULT_LIST_LIMIT)))
}
