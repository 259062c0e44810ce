import type { CollectionName } from '@agent-tracker/core'
import { TrackerError } from '@agent-tracker/core'
import { MAX_DATABASE_SIZE, formatBytes } from './database-size.js'
import { LmdbStoreError, isLmdbStoreError } from './errors.js'

const MAP_FULL = -30792

/**
 * The DATABASE_FULL error: the limit, the use, and that nothing was lost. How to get room (a
 * larger limit, up to `maximumBytes`, or a new database) is the host's to say in its own terms.
 */
export function databaseFullError(path: string, used: number, limit: number, extra: { readonly needed?: number; readonly cause?: unknown } = {}): LmdbStoreError<'DATABASE_FULL'> {
  const { needed, cause } = extra
  // Known before the write: what the batch needs says why a database far from its limit refuses it.
  const why = needed === undefined ? 'reached its size limit' : `has no room within its size limit for this batch of about ${formatBytes(needed)}`
  return new LmdbStoreError(
    'DATABASE_FULL',
    `The agent-tracker database ${path} ${why}: ${formatBytes(used)} used of ${formatBytes(limit)}. This batch was not written; everything already stored is intact.`,
    { path, usedBytes: used, limitBytes: limit, maximumBytes: MAX_DATABASE_SIZE },
    { cause },
  )
}

/** The error a failed write transaction reports: full map, closed store, or unwritable file. */
export function translateWriteError(error: unknown, store: { path: string; maxDatabaseSize: number; closed: boolean }): unknown {
  if (isLmdbStoreError(error) || error instanceof TrackerError) return error
  const code = (error as { code?: unknown } | undefined)?.code
  const message = error instanceof Error ? error.message : String(error)
  if (code === MAP_FULL || message.includes('MDB_MAP_FULL')) return databaseFullError(store.path, store.maxDatabaseSize, store.maxDatabaseSize, { cause: error })
  if (store.closed) return closedError()
  if (code === 'ENOSPC' || /ENOSPC|No space left|Input\/output error/i.test(message)) {
    return new LmdbStoreError('DATABASE_UNWRITABLE', `Could not write to the agent-tracker database ${store.path}: the disk holding it is full or failing (${message}). Nothing from this batch was written; free some space and try again.`, { path: store.path, reason: 'write' }, { cause: error })
  }
  return new LmdbStoreError('DATABASE_UNWRITABLE', `Could not write to the agent-tracker database ${store.path}: ${message}. Nothing from this batch was written.`, { path: store.path, reason: 'write' }, { cause: error })
}

/**
 * The error LMDB's open failure means. Failing to create a database that did not exist is an
 * unwritable location whatever the errno (sysfs says EACCES, /proc/<pid> says ENOENT).
 */
export function translateOpenError(error: unknown, path: string, creating: boolean): LmdbStoreError {
  const message = (error as Error).message
  const code = (error as NodeJS.ErrnoException).code
  if (creating) {
    return new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot create the agent-tracker database ${path}: ${message}.`, { path, reason: 'create' }, { cause: error })
  }
  if (code === 'EROFS' || /read-only file system/i.test(message)) {
    return new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot open the agent-tracker database ${path} to write: it is on a read-only file system. Reads still work (read commands open it read-only).`, { path, reason: 'permission' }, { cause: error })
  }
  if (code === 'EACCES' || code === 'EPERM' || /permission denied/i.test(message)) {
    // LMDB's own words ("Permission denied: Attempting to open main database file") name no file a person knows.
    return new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot open the agent-tracker database ${path} to write: its file (or its lock file) is not writable for you. Reads still work; give yourself write permission on it (its owner can), or use a database of your own.`, { path, reason: 'permission' }, { cause: error })
  }
  return new LmdbStoreError('DATABASE_UNREADABLE', `Cannot open the agent-tracker database ${path}: ${message}.`, { path, reason: 'open' }, { cause: error })
}

/** The error of any call on a closed store. */
export function closedError(): TrackerError {
  return new TrackerError('STORE_CLOSED', 'The agent-tracker database is closed.')
}

/** Characters of a key part named in an error at most (a project path may be thousands long). */
const KEY_PART_SHOWN = 120

/**
 * The error of a record an index (named by its sub-database) lists but its table does not give back. An index and its table
 * are written in one transaction and read in one snapshot, so the record's page is damaged
 * (LMDB finds no key on a garbled leaf, and says nothing): a read that went on would leave the
 * record out without a word.
 */
export function missingRecordError(collection: CollectionName, index: string, key: readonly string[]): TrackerError {
  const shown = key.map((part) => (part.length > KEY_PART_SHOWN ? `${part.slice(0, KEY_PART_SHOWN)}…` : part)).join(' ')
  return new TrackerError('DAMAGED_RECORD', `The ${collection} record ${shown} that the index ${index} lists cannot be read: the database file is probably damaged there.`)
}
