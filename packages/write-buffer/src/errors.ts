/** Stable codes of the errors the write buffer raises. */
export type WriteBufferErrorCode = 'INVALID_OPTION' | 'SYNC_FLUSH_UNSUPPORTED' | 'FLUSH_UNDER_WAY' | 'FLUSH_FAILED'

/** What each error is about, by code: the facts a host needs to phrase it in its own terms. */
export interface WriteBufferErrorDetails {
  /** A safety-valve option that cannot be used: a whole number ≥ `minimum`, or false, is accepted. */
  readonly INVALID_OPTION: { readonly option: 'maxPending' | 'maxAgeMs'; readonly value: unknown; readonly minimum: number }
  /** The wrapped store has no synchronous apply. */
  readonly SYNC_FLUSH_UNSUPPORTED: { readonly operation: 'flushSync' }
  /** `flushSync()` while an asynchronous flush, or another asynchronous write of the process, is under way (it may wait for another process's write lock); the facts are still pending. */
  readonly FLUSH_UNDER_WAY: { readonly pending: number }
  /** Pending facts could not be written before closing (or before a direct write); they are still pending. */
  readonly FLUSH_FAILED: { readonly pending: number; readonly errors: readonly string[] }
}

/** Base class of every error the write buffer raises; `code` is stable across releases and `details` says what it is about. */
export class WriteBufferError<C extends WriteBufferErrorCode = WriteBufferErrorCode> extends Error {
  readonly code: C
  readonly details: WriteBufferErrorDetails[C]

  constructor(code: C, message: string, details: WriteBufferErrorDetails[C], options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'WriteBufferError'
    this.code = code
    this.details = details
  }
}

/** True when `error` is a {@link WriteBufferError}, optionally with the given code (which then types its details). */
export function isWriteBufferError<C extends WriteBufferErrorCode = WriteBufferErrorCode>(error: unknown, code?: C): error is WriteBufferError<C> {
  return error instanceof WriteBufferError && (code === undefined || error.code === code)
}
