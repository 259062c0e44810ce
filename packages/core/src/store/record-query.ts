import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'
import type { CollectionName, CollectionRecords } from './records.js'
import { compareKeys, recordKey, recordTime } from './records.js'
import type { RecordQuery } from './tracker-store.js'
import { toIsoTimestamp } from '../time/iso-timestamp.js'

const SETUP_OF: { readonly [C in CollectionName]: (record: CollectionRecords[C]) => string | undefined } = {
  setups: (r) => r.id,
  projects: () => undefined,
  commits: (r) => r.setup,
  retrospectives: (r) => r.setup,
  gradeEvents: (r) => r.setup,
  bugs: (r) => r.setup,
  activities: (r) => r.setup,
  usage: (r) => r.setup,
  evidence: (r) => r.setup,
}

const PROJECT_OF: { readonly [C in CollectionName]: (record: CollectionRecords[C]) => string | undefined } = {
  setups: () => undefined,
  projects: (r) => r.path,
  commits: (r) => r.project,
  retrospectives: (r) => r.project,
  gradeEvents: (r) => r.project,
  bugs: (r) => r.project,
  activities: (r) => r.project,
  usage: (r) => r.project,
  evidence: (r) => r.project,
}

/**
 * Checks a query on a collection and normalises its times to UTC ISO.
 * @throws {TrackerError} INVALID_QUERY naming the field, or INVALID_TIMESTAMP.
 */
export function normaliseQuery(collection: CollectionName, query: RecordQuery = {}): RecordQuery {
  if (query.setup !== undefined && collection === 'projects') {
    throw new TrackerError('INVALID_QUERY', 'Projects cannot be filtered by setup; filter commits or usage by setup instead.')
  }
  if (query.project !== undefined && collection === 'setups') {
    throw new TrackerError('INVALID_QUERY', 'Setups cannot be filtered by project; filter commits or usage by project instead.')
  }
  if (query.hashPrefix !== undefined && collection !== 'commits' && collection !== 'retrospectives') {
    throw new TrackerError('INVALID_QUERY', `Only commits and retrospectives can be filtered by hash prefix, not ${collection}.`)
  }
  if (query.hashPrefix !== undefined && (typeof query.hashPrefix !== 'string' || query.hashPrefix === '')) {
    throw new TrackerError('INVALID_QUERY', `Invalid hash prefix ${describeValue(query.hashPrefix)}: a non-empty string is required.`)
  }
  const { limit } = query
  const order: unknown = query.order
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw new TrackerError('INVALID_QUERY', `Invalid query limit ${describeValue(limit)}: a whole number ≥ 0 is required.`)
  }
  if (order !== undefined && order !== 'newest' && order !== 'oldest' && order !== 'any') {
    throw new TrackerError('INVALID_QUERY', `Invalid query order ${describeValue(order)}: accepted are "newest", "oldest" and "any".`)
  }
  return {
    ...query,
    ...(query.since === undefined ? {} : { since: toIsoTimestamp(query.since, 'since') }),
    ...(query.until === undefined ? {} : { until: toIsoTimestamp(query.until, 'until') }),
  }
}

/** True when a record passes the query's setup, project and time filters. */
export function matchesQuery<C extends CollectionName>(
  collection: C,
  record: CollectionRecords[C],
  query: RecordQuery,
): boolean {
  if (query.setup !== undefined && SETUP_OF[collection](record) !== query.setup) return false
  if (query.project !== undefined && PROJECT_OF[collection](record) !== query.project) return false
  if (query.hashPrefix !== undefined && !hashOf(collection, record).startsWith(query.hashPrefix)) return false
  const time = recordTime(collection, record)
  if (collection === 'usage') {
    // A day matches when it overlaps [since, until).
    if (query.since !== undefined && `${time}T23:59:59.999Z` < query.since) return false
    if (query.until !== undefined && `${time}T00:00:00.000Z` >= query.until) return false
    return true
  }
  if (query.since !== undefined && time < query.since) return false
  if (query.until !== undefined && time >= query.until) return false
  return true
}

/** Orders records by time (ties by key), newest first unless the query asks otherwise, then limits. */
export function orderAndLimit<C extends CollectionName>(
  collection: C,
  records: CollectionRecords[C][],
  query: RecordQuery,
): CollectionRecords[C][] {
  if (query.order === 'any') return query.limit === undefined ? records : records.slice(0, query.limit)
  const direction = query.order === 'oldest' ? 1 : -1
  // Keys are only needed to break ties of time, which are rare: compute them then, not for every record.
  const sorted = records
    .map((record) => ({ record, time: recordTime(collection, record) }))
    .sort((a, b) => direction * (a.time === b.time ? compareKeys(recordKey(collection, a.record), recordKey(collection, b.record)) : a.time < b.time ? -1 : 1))
    .map(({ record }) => record)
  return query.limit === undefined ? sorted : sorted.slice(0, query.limit)
}

function hashOf<C extends CollectionName>(collection: C, record: CollectionRecords[C]): string {
  if (collection === 'commits') return (record as CollectionRecords['commits']).hash
  if (collection === 'retrospectives') return (record as CollectionRecords['retrospectives']).commit
  return ''
}
