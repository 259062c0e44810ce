/** Stable machine-readable codes for every error core raises. */
export type CoreErrorCode =
  | 'INVALID_GRADE'
  | 'INVALID_RULES'
  | 'INVALID_FACT'
  | 'INVALID_RECORD'
  | 'DAMAGED_RECORD'
  | 'INVALID_SETUP_ID'
  | 'INVALID_TIMESTAMP'
  | 'INVALID_QUERY'
  | 'INVALID_OPTION'
  | 'NOT_AUTHORISED'
  | 'UNKNOWN_SETUP'
  | 'UNKNOWN_PROJECT'
  | 'AMBIGUOUS_PROJECT'
  | 'UNKNOWN_COMMIT'
  | 'AMBIGUOUS_COMMIT'
  | 'ALREADY_GRADED'
  | 'NOTE_NOT_ADDED'
  | 'UNKNOWN_EVIDENCE'
  | 'AMBIGUOUS_EVIDENCE'
  | 'OTHER_SETUP_EVIDENCE'
  | 'STORE_CLOSED'

/** What a {@link TrackerError} says beyond its message, for a caller to act on without reading the message. */
export interface TrackerErrorDetails {
  /** UNKNOWN_COMMIT: the setup that made the commit the reference names, when it was another setup. */
  readonly madeBy?: string
}

/** Base class of every error core raises; `code` is stable across releases. */
export class TrackerError extends Error {
  readonly code: CoreErrorCode
  /** Set where an error has more to say than its code (see {@link TrackerErrorDetails}). */
  readonly details?: TrackerErrorDetails

  constructor(code: CoreErrorCode, message: string, options?: { cause?: unknown; details?: TrackerErrorDetails }) {
    super(message, options === undefined || !('cause' in options) ? undefined : { cause: options.cause })
    this.name = 'TrackerError'
    this.code = code
    if (options?.details !== undefined) this.details = options.details
  }
}

/** True when `error` is a {@link TrackerError}, optionally with the given code. */
export function isTrackerError(error: unknown, code?: CoreErrorCode): error is TrackerError {
  return error instanceof TrackerError && (code === undefined || error.code === code)
}
