import type { RetrospectiveRecord } from '../store/records.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_LIST_LIMIT, boundOf } from './read-limits.js'
import type { ListQuery } from './read-query.js'
import { recordQuery } from './read-query.js'

/**
 * Retrospectives — a commit's grades and notes — newest first, of a setup or project if given.
 * @throws {TrackerError} INVALID_QUERY for a bad limit, INVALID_TIMESTAMP for a bad window.
 */
export function retrospectives(store: TrackerStore, query: ListQuery = {}): Promise<RetrospectiveRecord[]> {
  return store.find('retrospectives', recordQuery(query, boundOf(query.limit, DEFAULT_LIST_LIMIT)))
}
