/** Stable codes of the errors migrate raises (migrations themselves never throw; their options may). */
export type MigrateErrorCode = 'INVALID_TIME_ZONE'

/** Base class of the errors migrate raises; `code` is stable across releases. */
export class MigrateError extends Error {
  readonly code: MigrateErrorCode

  constructor(code: MigrateErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'MigrateError'
    this.code = code
  }
}

/** True when `error` is a {@link MigrateError}. */
export function isMigrateError(error: unknown): error is MigrateError {
  return error instanceof MigrateError
}
