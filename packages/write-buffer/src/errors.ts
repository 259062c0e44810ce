/** Stable codes of the errors the write buffer raises. */
export type WriteBufferErrorCode = 'INVALID_OPTION' | 'SYNC_FLUSH_UNSUPPORTED'

/** Base class of every error the write buffer raises; `code` is stable across releases. */
export class WriteBufferError extends Error {
  readonly code: WriteBufferErrorCode

  constructor(code: WriteBufferErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'WriteBufferError'
    this.code = code
  }
}
