import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'
import type { FactLogQuery } from './tracker-store.js'

/** A fact-log query with its defaults filled in. */
export interface CheckedFactLogQuery {
  readonly after: number
  readonly limit: number
}

/**
 * Checks a fact-log query: `after` and `limit` whole numbers ≥ 0.
 * @throws {TrackerError} INVALID_QUERY naming the field.
 */
export function checkFactLogQuery(query: FactLogQuery = {}): CheckedFactLogQuery {
  const after = query.after ?? 0
  const limit = query.limit ?? Number.POSITIVE_INFINITY
  if (!Number.isInteger(after) || after < 0) {
    throw new TrackerError('INVALID_QUERY', `Invalid fact log position ${describeValue(query.after)}: "after" is a sequence number, a whole number ≥ 0.`)
  }
  if (limit !== Number.POSITIVE_INFINITY && (!Number.isInteger(limit) || limit < 0)) {
    throw new TrackerError('INVALID_QUERY', `Invalid fact log limit ${describeValue(query.limit)}: a whole number ≥ 0 is required.`)
  }
  return { after, limit }
}
