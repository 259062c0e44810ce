/** Stable codes of the errors postgres-store raises. */
export type PostgresStoreErrorCode =
  | 'INVALID_OPTION'
  | 'TEAM_UNREACHABLE'
  | 'TEAM_REFUSED'
  | 'TEAM_TOO_NEW'
  | 'TEAM_NOT_SET_UP'
  | 'TEAM_QUERY_FAILED'

/** What each error is about, by code: facts a host phrases in its own words. */
export interface PostgresStoreErrorDetails {
  /** An option of `openPostgresStore` that cannot be used. */
  readonly INVALID_OPTION: { readonly option: 'url' | 'schema' | 'member' | 'batchSize'; readonly value: unknown }
  /** The server could not be reached or went away (down, restarting, network); `url` has no password. */
  readonly TEAM_UNREACHABLE: { readonly url: string; readonly cause: string }
  /** The server refused: authentication, permissions or a missing database (`sqlState` says which). */
  readonly TEAM_REFUSED: { readonly url: string; readonly sqlState: string | undefined }
  /** The team database was set up by a newer release. */
  readonly TEAM_TOO_NEW: { readonly url: string; readonly migration: number; readonly supportedMigration: number }
  /** Opened for reading, but nobody has set the team database up yet (the first `sync` does). */
  readonly TEAM_NOT_SET_UP: { readonly url: string; readonly schema: string }
  /** A statement failed for another reason; a write that failed applied nothing. */
  readonly TEAM_QUERY_FAILED: { readonly url: string; readonly sqlState: string | undefined }
}

/** Base class of every error postgres-store raises; `code` is stable across releases. */
export class PostgresStoreError<C extends PostgresStoreErrorCode = PostgresStoreErrorCode> extends Error {
  readonly code: C
  readonly details: PostgresStoreErrorDetails[C]

  constructor(code: C, message: string, details: PostgresStoreErrorDetails[C], options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PostgresStoreError'
    this.code = code
    this.details = details
  }
}

/** True when `error` is a {@link PostgresStoreError}, optionally with the given code. */
export function isPostgresStoreError<C extends PostgresStoreErrorCode = PostgresStoreErrorCode>(error: unknown, code?: C): error is PostgresStoreError<C> {
  return error instanceof PostgresStoreError && (code === undefined || error.code === code)
}

/** The URL without its password, for messages and reports. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url)
    if (parsed.password !== '') parsed.password = '***'
    return parsed.toString()
  } catch {
    return '(unparsable URL)'
  }
}

/** SQLSTATE classes of a server that is gone or going: connection failures, shutdown, crash recovery. */
const GONE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '08007', '53300'])
/** Node socket errors of a server that cannot be reached. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

/** Turns a `pg` failure into a {@link PostgresStoreError} (other errors pass unchanged). */
export function translatePgError(error: unknown, url: string): unknown {
  if (error instanceof PostgresStoreError || !(error instanceof Error)) return error
  const code = (error as { code?: unknown }).code
  const state = typeof code === 'string' ? code : undefined
  const safe = redactUrl(url)
  if ((state !== undefined && (GONE.has(state) || NETWORK.has(state))) || /Connection terminated|connection timeout|Client has encountered a connection error/i.test(error.message)) {
    return new PostgresStoreError('TEAM_UNREACHABLE', `The team database at ${safe} cannot be reached: ${error.message}.`, { url: safe, cause: error.message }, { cause: error })
  }
  if (state !== undefined && (state.startsWith('28') || state === '3D000' || state === '42501')) {
    return new PostgresStoreError('TEAM_REFUSED', `The team database at ${safe} refused the connection: ${error.message}.`, { url: safe, sqlState: state }, { cause: error })
  }
  if (state !== undefined && /^[0-9A-Z]{5}$/.test(state)) {
    return new PostgresStoreError('TEAM_QUERY_FAILED', `The team database at ${safe} failed a statement (${state}): ${error.message}.`, { url: safe, sqlState: state }, { cause: error })
  }
  return error
}
