import type { DatabaseFormat } from './database-format.js'

/** Stable codes of the errors lmdb-store raises. */
export type LmdbStoreErrorCode =
  | 'INVALID_OPTION'
  | 'DATABASE_FULL'
  | 'DATABASE_UNREADABLE'
  | 'DATABASE_UNWRITABLE'
  | 'DATABASE_TOO_NEW'
  | 'DATABASE_NEEDS_UPGRADE'
  | 'NOT_AGENT_TRACKER_DATABASE'
  | 'DATABASE_BUSY'

/**
 * What each error is about, by code: the facts a host needs to phrase the fix in its own words
 * (an option name, a flag, an environment variable), which the messages leave to it.
 */
export interface LmdbStoreErrorDetails {
  /** An option of `openLmdbStore` that cannot be used; sizes bound `maxDatabaseSize`. */
  readonly INVALID_OPTION: { readonly option: 'databasePath' | 'maxDatabaseSize'; readonly value: unknown; readonly minimumBytes?: number; readonly maximumBytes?: number; readonly defaultBytes?: number }
  /** A batch that would pass the size limit; `maximumBytes` is the largest limit accepted. */
  readonly DATABASE_FULL: { readonly path: string; readonly usedBytes: number; readonly limitBytes: number; readonly maximumBytes: number }
  /** `damaged`: the file failed its check; `missing`: nothing to open read-only; `schema`: a garbled schema version; `open`: LMDB refused it. */
  readonly DATABASE_UNREADABLE: { readonly path: string; readonly reason: 'damaged' | 'missing' | 'schema' | 'open' }
  /** `create`: the database could not be created; `permission`: no write access; `folder`: its folder cannot be made; `lock-file`: a bad lock file; `disk-full`: no room on disk for the lock file, which even reads map; `write`: a write failed. */
  readonly DATABASE_UNWRITABLE: { readonly path: string; readonly reason: 'create' | 'permission' | 'folder' | 'not-a-folder' | 'lock-file' | 'disk-full' | 'write' }
  /** An asynchronous write refused while another process (`pid`) held the write lock (see `LmdbStoreOptions.whileLocked`): nothing was written. */
  readonly DATABASE_BUSY: { readonly path: string; readonly pid: number }
  /** A database written by a newer release. */
  readonly DATABASE_TOO_NEW: { readonly path: string; readonly schemaVersion: number; readonly supportedVersion: number }
  /** A database of an older schema, opened read-only with upgrades turned off: it must be opened for writing once to upgrade in place. */
  readonly DATABASE_NEEDS_UPGRADE: { readonly path: string; readonly schemaVersion: number; readonly supportedVersion: number }
  /** A file at the path that holds something else: the predecessor's database, another program's; never opened. */
  readonly NOT_AGENT_TRACKER_DATABASE: { readonly path: string; readonly format: DatabaseFormat }
}

/** Base class of every error lmdb-store raises; `code` is stable across releases and `details` says what it is about. */
export class LmdbStoreError<C extends LmdbStoreErrorCode = LmdbStoreErrorCode> extends Error {
  readonly code: C
  readonly details: LmdbStoreErrorDetails[C]

  constructor(code: C, message: string, details: LmdbStoreErrorDetails[C], options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'LmdbStoreError'
    this.code = code
    this.details = details
  }

  /** The database (or folder) the error is about, when there is one. */
  get path(): string | undefined {
    const { details } = this as LmdbStoreError
    return 'path' in details ? details.path : undefined
  }
}

/** True when `error` is an {@link LmdbStoreError}, optionally with the given code (which then types its details). */
export function isLmdbStoreError<C extends LmdbStoreErrorCode = LmdbStoreErrorCode>(error: unknown, code?: C): error is LmdbStoreError<C> {
  return error instanceof LmdbStoreError && (code === undefined || error.code === code)
}
