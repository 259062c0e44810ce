import { redactUrl } from './url.js'

/** Stable codes of the errors postgres-store raises. */
export type PostgresStoreErrorCode =
  | 'INVALID_OPTION'
  | 'TEAM_UNREACHABLE'
  | 'TEAM_BUSY'
  | 'TEAM_REFUSED'
  | 'TEAM_TLS'
  | 'TEAM_TOO_NEW'
  | 'TEAM_NOT_SET_UP'
  | 'TEAM_QUERY_FAILED'
  | 'SYNC_STOPPED'

/** What each error is about, by code: facts a host phrases in its own words. */
export interface PostgresStoreErrorDetails {
  /** An option of `openPostgresStore` that cannot be used. */
  readonly INVALID_OPTION: { readonly option: 'url' | 'schema' | 'member' | 'batchSize'; readonly value: unknown }
  /** The server could not be reached or went away (down, restarting, network); `url` has no password. */
  readonly TEAM_UNREACHABLE: { readonly url: string; readonly cause: string }
  /** A write waited longer than its limit (`StallLimits.lockWaitMs`) for another member's write to let the lock go; it applied nothing. */
  readonly TEAM_BUSY: { readonly url: string }
  /**
   * The server refused: authentication, permissions or a missing database (`sqlState` says which;
   * undefined when it asked for a password and none was found). `passwordFrom` says where the
   * password sent came from — `the URL`, `PGPASSWORD` or the password file's path — if one was sent.
   */
  readonly TEAM_REFUSED: { readonly url: string; readonly sqlState: string | undefined; readonly passwordFrom: string | undefined }
  /** TLS failed: the server's certificate was not trusted or not for this host, or the server and the connection disagree on TLS. */
  readonly TEAM_TLS: { readonly url: string; readonly cause: string }
  /** The team database was set up by a newer release. */
  readonly TEAM_TOO_NEW: { readonly url: string; readonly migration: number; readonly supportedMigration: number }
  /** Opened for reading, but nobody has set the team database up yet (the first `sync` does). */
  readonly TEAM_NOT_SET_UP: { readonly url: string; readonly schema: string }
  /** A statement failed for another reason; a write that failed applied nothing. */
  readonly TEAM_QUERY_FAILED: { readonly url: string; readonly sqlState: string | undefined }
  /** A sync was stopped by its `signal` (the host is closing): what the team acknowledged stays, the next sync sends the rest. */
  readonly SYNC_STOPPED: { readonly acknowledged: number }
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

export { redactUrl }

/** The server ended this session's transaction, left idle past `idle_in_transaction_session_timeout` (this process stopped inside it): gone, as a restart is. */
const IDLE_TRANSACTION_ENDED = '25P03'
/** The user may not do what a statement does (`permission denied for …`): connected, the password right. */
const INSUFFICIENT_PRIVILEGE = '42501'
/** A statement gave up waiting for a lock past `lock_timeout`. */
const LOCK_WAIT_ENDED = '55P03'

/** SQLSTATE classes of a server that is gone or going: connection failures, shutdown, crash recovery. */
const GONE = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '08007', '53300', IDLE_TRANSACTION_ENDED])
/** Node socket errors of a server that cannot be reached. */
const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN'])

/** Node's codes of a server certificate that no trusted authority signed. */
const UNTRUSTED = new Set(['UNABLE_TO_VERIFY_LEAF_SIGNATURE', 'SELF_SIGNED_CERT_IN_CHAIN', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'UNABLE_TO_GET_ISSUER_CERT', 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', 'CERT_UNTRUSTED', 'CERT_SIGNATURE_FAILURE', 'CERT_REJECTED', 'INVALID_CA'])

/**
 * Turns a `pg` failure into a {@link PostgresStoreError} (other errors pass unchanged).
 * `passwordFrom`: where the password this connection sent came from, for an authentication failure's message.
 */
export function translatePgError(error: unknown, url: string, passwordFrom?: string): unknown {
  if (error instanceof PostgresStoreError || !(error instanceof Error)) return error
  const code = (error as { code?: unknown }).code
  const state = typeof code === 'string' ? code : undefined
  const safe = redactUrl(url)
  const tls = tlsProblem(error, state)
  if (tls !== undefined) return new PostgresStoreError('TEAM_TLS', `The team database at ${safe} ${tls}`, { url: safe, cause: error.message }, { cause: error })
  if (state === LOCK_WAIT_ENDED) {
    return new PostgresStoreError('TEAM_BUSY', `The team database at ${safe} is busy: another write held the lock this one needs for longer than this one waits (${error.message}) — a sync stopped midway holds it until the server ends its idle transaction. Nothing was written by this one.`, { url: safe }, { cause: error })
  }
  if ((state !== undefined && (GONE.has(state) || NETWORK.has(state))) || /Connection terminated|connection timeout|Client has encountered a connection error|Query read timeout/i.test(error.message)) {
    return new PostgresStoreError('TEAM_UNREACHABLE', `The team database at ${safe} cannot be reached: ${error.message}.`, { url: safe, cause: error.message }, { cause: error })
  }
  if (state === INSUFFICIENT_PRIVILEGE) {
    // Connected, with the password taken: the role may not do what this statement does (make the schema, or its tables).
    return new PostgresStoreError('TEAM_REFUSED', `The team database at ${safe} refused a statement of this user: ${error.message}.`, { url: safe, sqlState: state, passwordFrom }, { cause: error })
  }
  if (state !== undefined && (state.startsWith('28') || state === '3D000')) {
    const from = state === '28P01' && passwordFrom !== undefined ? ` (the password came from ${passwordFrom})` : ''
    return new PostgresStoreError('TEAM_REFUSED', `The team database at ${safe} refused the connection: ${error.message}${from}.`, { url: safe, sqlState: state, passwordFrom }, { cause: error })
  }
  if (state !== undefined && /^[0-9A-Z]{5}$/.test(state)) {
    return new PostgresStoreError('TEAM_QUERY_FAILED', `The team database at ${safe} failed a statement (${state}): ${error.message}.`, { url: safe, sqlState: state }, { cause: error })
  }
  return error
}

/** What went wrong with TLS, as the rest of a sentence about the team database; undefined when the failure is not about TLS. */
function tlsProblem(error: Error, state: string | undefined): string | undefined {
  const trust = 'Give the certificate of the authority that signed it: sslrootcert=<file> in the URL, or the `ca` TLS option.'
  if (state !== undefined && UNTRUSTED.has(state)) {
    return `failed the TLS check: the server's certificate is not signed by a certificate authority this connection trusts (${error.message}). ${trust}`
  }
  if (state === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    const { host, cert } = error as { host?: unknown; cert?: { subjectaltname?: unknown } }
    const names = typeof cert?.subjectaltname === 'string' ? ` (it names ${cert.subjectaltname})` : ''
    return `failed the TLS check: the server's certificate is not for ${typeof host === 'string' ? host : 'the host connected to'}${names}. Connect by a name the certificate names.`
  }
  if (state === 'CERT_HAS_EXPIRED' || state === 'CERT_NOT_YET_VALID') {
    return `failed the TLS check: the server's certificate ${state === 'CERT_HAS_EXPIRED' ? 'has expired' : 'is not valid yet'} (${error.message}).`
  }
  if (error.message === 'The server does not support SSL connections') {
    return 'does not take TLS connections (ssl is off on the server): turn TLS on at the server, or leave sslmode and the TLS options out.'
  }
  if (state === '28000' && /\bno encryption\b/.test(error.message)) {
    return `refused a connection without TLS (${error.message}): when it takes TLS connections, add ?sslmode=verify-full&sslrootcert=<the certificate file of the authority that signed the server's> to the URL, or give TLS options.`
  }
  if (state !== undefined && (state === 'EPROTO' || state.startsWith('ERR_SSL_') || state.startsWith('ERR_TLS_'))) {
    return `could not set up TLS: ${error.message}.`
  }
  return undefined
}
