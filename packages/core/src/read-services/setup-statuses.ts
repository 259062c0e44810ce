import type { AgentStatus } from '../scoring/status.js'
import { toAgentStatus } from '../scoring/status.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { DEFAULT_CATALOGUE_LIMIT, boundOf } from './read-limits.js'

/**
 * The status card of every setup, most recently active first.
 * @throws {TrackerError} INVALID_QUERY for a bad limit.
 */
export async function setupStatuses(store: TrackerStore, query: { readonly limit?: number | undefined } = {}): Promise<AgentStatus[]> {
  const setups = await store.find('setups', { limit: boundOf(query.limit, DEFAULT_CATALOGUE_LIMIT) })
  return setups.map((setup) => toAgentStatus(setup, store.rules))
}
