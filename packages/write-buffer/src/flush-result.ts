/** What one flush did. A flush never throws: failures are reported in `errors`. */
export interface FlushResult {
  /** Facts handed to the store in this flush (0 when it failed or nothing was pending). */
  readonly factsWritten: number
  /** Records the store put (facts on one record collapse into one put). */
  readonly entriesWritten: number
  /** Facts the store recognised as repeats. */
  readonly skipped: number
  /** Why the flush failed; the facts are still pending. Empty on success. */
  readonly errors: readonly string[]
}

/** Counters for observability. */
export interface WriteBufferStats {
  readonly pending: number
  readonly flushes: number
  readonly failedFlushes: number
  readonly factsWritten: number
  readonly entriesWritten: number
  readonly lastError?: string
  readonly lastFlushAt?: string
}

/** The result of a flush that had nothing to write. */
export const EMPTY_FLUSH: FlushResult = { factsWritten: 0, entriesWritten: 0, skipped: 0, errors: [] }
