/** Stable codes of the errors host imports raise. */
export type HostImportErrorCode = 'SQLITE_UNAVAILABLE'

/** What each error is about, by code. */
export interface HostImportErrorDetails {
  /** `better-sqlite3` (an optional dependency, a native module) could not be loaded; OpenCode's database cannot be read without it. */
  readonly SQLITE_UNAVAILABLE: { readonly module: string }
}

/** Base class of the errors host imports raise; `code` is stable and `details` says what it is about. */
export class HostImportError<C extends HostImportErrorCode = HostImportErrorCode> extends Error {
  readonly code: C
  readonly details: HostImportErrorDetails[C]

  constructor(code: C, message: string, details: HostImportErrorDetails[C], options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'HostImportError'
    this.code = code
    this.details = details
  }
}

/** True when `error` is a {@link HostImportError}, optionally with the given code. */
export function isHostImportError<C extends HostImportErrorCode = HostImportErrorCode>(error: unknown, code?: C): error is HostImportError<C> {
  return error instanceof HostImportError && (code === undefined || error.code === code)
}
