import type { DatabaseFormat } from './database-format.js'

/** Stable codes of the errors lmdb-store raises. */
export type LmdbStoreErrorCode =
  | 'INVALID_OPTION'
  | 'DATABASE_FULL'
  | 'DATABASE_UNREADABLE'
  | 'DATABASE_UNWRITABLE'
  | 'DATABASE_TOO_NEW'
  | 'NOT_AGENT_TRACKER_DATABASE'

/** Base class of every error lmdb-store raises; `code` is stable across releases. */
export class LmdbStoreError extends Error {
  readonly code: LmdbStoreErrorCode
  /** The database (or folder) the error is about, when there is one. */
  readonly path: string | undefined
  /** NOT_AGENT_TRACKER_DATABASE: what the file holds instead. */
  readonly format: DatabaseFormat | undefined

  constructor(code: LmdbStoreErrorCode, message: string, options: { path?: string; cause?: unknown; format?: DatabaseFormat } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'LmdbStoreError'
    this.code = code
    this.path = options.path
    this.format = options.format
  }
}

/** True when `error` is an {@link LmdbStoreError}, optionally with the given code. */
export function isLmdbStoreError(error: unknown, code?: LmdbStoreErrorCode): error is LmdbStoreError {
  return error instanceof LmdbStoreError && (code === undefined || error.code === code)
}
