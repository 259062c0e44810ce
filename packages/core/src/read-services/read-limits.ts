import { describeValue } from '../describe-value.js'
import { TrackerError } from '../errors.js'

/** Entries a list question (history, journal, retrospectives) returns when the query names no limit. */
export const DEFAULT_LIST_LIMIT = 20

/** Setups or projects a catalogue (statuses, projects, leaderboard) returns when the query names no limit. */
export const DEFAULT_CATALOGUE_LIMIT = 1000

/** Patterns, and mistakes, prior art returns when the query names no limit. */
export const DEFAULT_PRIOR_ART_LIMIT = 10

/**
 * Newest records of each kind (retrospectives, journal entries, commits, bugs) prior art searches
 * when the query names no depth: months of busy work, and a bound on what one search reads and
 * scores however large the database (a time window reaches older work).
 */
export const DEFAULT_SEARCH_DEPTH = 2_000

/**
 * The query's bound, or the default when it names none.
 * @throws {TrackerError} INVALID_QUERY naming the field when it is not a whole number ≥ 0.
 */
export function boundOf(value: number | undefined, fallback: number, field = 'limit'): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value < 0) {
    throw new TrackerError('INVALID_QUERY', `Invalid query ${field} ${describeValue(value)}: a whole number ≥ 0 is required.`)
  }
  return value
}
