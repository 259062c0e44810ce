import type { ScoringRulesInput } from '@agent-tracker/core'
import { resolveRules } from '@agent-tracker/core'
import type { PoolConfig } from 'pg'
import pg from 'pg'
import type { ConnectionOptions } from 'pg-connection-string'
import { parse } from 'pg-connection-string'
import type { PasswordTarget } from './credentials.js'
import { findPassword } from './credentials.js'
import { PostgresStoreError, redactUrl, translatePgError } from './errors.js'
import { LATEST_MIGRATION, appliedMigration, foreignTables, migrate } from './migrations.js'
import type { StallLimits } from './stall-limits.js'
import { STALL_LIMITS, stallSettings } from './stall-limits.js'
import type { WriteConcurrency } from './postgres-store.js'
import { PostgresStore } from './postgres-store.js'

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /**
   * A `postgres://` (or `postgresql://`) URL. Leave the password out: it is then taken, as libpq
   * takes it, from `PGPASSWORD` or else the password file (`PGPASSFILE`, else `~/.pgpass`). TLS
   * settings may ride along (`?sslmode=verify-full&sslrootcert=<file>`, `sslcert`, `sslkey`).
   */
  readonly url: string
  /** The schema holding the tracker's tables (default `agent_tracker`). */
  readonly schema?: string
  /** Whose share to read and write: a member's name, or '' (default) for the whole team. */
  readonly member?: string
  /** Scoring rules (partial rules are merged over the defaults). */
  readonly rules?: ScoringRulesInput
  /**
   * TLS options passed to `pg` (`ssl` of its client config: Node's `tls.connect` options such as
   * `ca`, `cert`, `key`, `rejectUnauthorized`, `servername`). An object is laid over the URL's TLS
   * settings key by key (`{ ca }` with `?sslmode=verify-full` verifies against that CA); `false`
   * turns TLS off; `true` turns it on with the URL's settings, else Node's defaults.
   */
  readonly ssl?: PoolConfig['ssl']
  /**
   * `write` (default) creates the schema, or upgrades it, on first use; `read` only reads, and
   * fails with TEAM_NOT_SET_UP when nobody has set the database up yet.
   */
  readonly mode?: 'read' | 'write'
  /** Most connections this store opens at once (default 4). */
  readonly maxConnections?: number
  /** How long to wait for a connection, in milliseconds (default 10 000). */
  readonly connectTimeoutMs?: number
  /** How concurrent writes are kept apart: `lock` (default) or `serializable` (see {@link WriteConcurrency}). */
  readonly concurrency?: WriteConcurrency
  /** How long a stalled connection may hold up its writer and the team's (see {@link StallLimits}); defaults {@link STALL_LIMITS}. */
  readonly stallLimits?: Partial<StallLimits>
}


/** The default schema of the tracker's tables. */
export const DEFAULT_SCHEMA = 'agent_tracker'

const NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Connects to a team database and checks (or, for writing, brings up to date) its schema.
 * @throws {PostgresStoreError} INVALID_OPTION, TEAM_UNREACHABLE, TEAM_REFUSED, TEAM_TLS, TEAM_TOO_NEW or TEAM_NOT_SET_UP.
 */
export async function openPostgresStore(options: PostgresStoreOptions): Promise<PostgresStore> {
  const { url } = options
  if (typeof url !== 'string' || !/^postgres(ql)?:\/\//.test(url)) {
    throw new PostgresStoreError('INVALID_OPTION', `Invalid team database URL ${typeof url === 'string' ? `"${redactUrl(url)}"` : String(url)}: a postgres://user@host:port/database URL is required.`, { option: 'url', value: typeof url === 'string' ? redactUrl(url) : url })
  }
  const schema = options.schema ?? DEFAULT_SCHEMA
  if (!NAME.test(schema)) {
    throw new PostgresStoreError('INVALID_OPTION', `Invalid schema name "${schema}": lowercase letters, digits and _ (not first), at most 63.`, { option: 'schema', value: schema })
  }
  const member = options.member ?? ''
  if (typeof member !== 'string' || member.length > 200 || Array.from(member).some((c) => c < ' ')) {
    throw new PostgresStoreError('INVALID_OPTION', 'Invalid member name: a name of at most 200 characters, without control characters, is required.', { option: 'member', value: member })
  }
  const rules = resolveRules(options.rules ?? {})
  const credentials: Credentials = { passwordFrom: undefined }
  const stall: StallLimits = { ...STALL_LIMITS, ...options.stallLimits }
  const pool = new pg.Pool({
    ...connectionConfig(url, options.ssl, credentials),
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...stallSettings(stall),
  })
  const translate = (error: unknown): unknown => translatePgError(error, url, credentials.passwordFrom)
  // An idle connection the server drops (a restart) must not crash the process: the next query reconnects.
  pool.on('error', () => undefined)
  try {
    const client = await pool.connect()
    const ignore = (): void => undefined
    client.on('error', ignore)
    try {
      const applied = await appliedMigration(client, schema)
      if (applied > LATEST_MIGRATION) {
        throw new PostgresStoreError('TEAM_TOO_NEW', `The team database at ${redactUrl(url)} was set up by a newer agent-tracker (migration ${String(applied)}; this release knows ${String(LATEST_MIGRATION)}): upgrade agent-tracker.`, { url: redactUrl(url), migration: applied, supportedMigration: LATEST_MIGRATION })
      }
      if (applied === 0) {
        // Another program's tables there: neither set up by agent-tracker, nor to be set up over them.
        const foreign = await foreignTables(client, schema)
        if (foreign.length > 0) {
          throw new PostgresStoreError('INVALID_OPTION', `Schema "${schema}" of the team database at ${redactUrl(url)} holds tables that are not agent-tracker's (${foreign.join(', ')}): give agent-tracker a schema of its own (team.schema, AGENT_TRACKER_TEAM_SCHEMA; by default ${DEFAULT_SCHEMA}).`, { option: 'schema', value: schema })
        }
      }
      if (applied < LATEST_MIGRATION) {
        if (options.mode === 'read') {
          if (applied === 0) throw new PostgresStoreError('TEAM_NOT_SET_UP', `The team database at ${redactUrl(url)} has no agent-tracker data yet (schema "${schema}"): the first sync sets it up.`, { url: redactUrl(url), schema })
        } else {
          await migrate(client, schema, stall)
        }
      }
    } finally {
      client.off('error', ignore)
      client.release()
    }
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw translate(error)
  }
  return new PostgresStore({ pool, translate, schema, member, concurrency: options.concurrency ?? 'lock', stall }, rules, true)
}

/** What a password function sees of the `pg` client calling it. */
interface ConnectingClient {
  readonly connection?: { readonly stream?: { destroy(): void } }
}

/** Where the password a connection sent came from (`the URL`, `PGPASSWORD` or the password file), once one was sent. */
interface Credentials {
  passwordFrom: string | undefined
}

/**
 * What `pg` connects with: the URL's settings as `pg` reads them, the TLS options laid over the
 * URL's, and, when the URL has no password, one found as libpq finds it when the server asks.
 * (Given a `connectionString`, `pg` would let the URL's settings override both.)
 */
function connectionConfig(url: string, ssl: PoolConfig['ssl'], credentials: Credentials): PoolConfig {
  let parsed: ConnectionOptions
  try {
    parsed = parse(url)
  } catch (error) {
    const file = (error as { path?: unknown }).path
    const params = new URLSearchParams(url.includes('?') ? url.slice(url.indexOf('?') + 1) : '')
    const name = ['sslrootcert', 'sslcert', 'sslkey'].find((key) => params.get(key) === file)
    const why = name === undefined
      ? `it cannot be read (${error instanceof Error ? error.message : String(error)})`
      : `${name} ${String(file)} cannot be read (${String((error as { code?: unknown }).code ?? error)}); name a readable PEM file`
    throw new PostgresStoreError('INVALID_OPTION', `Invalid team database URL "${redactUrl(url)}": ${why}.`, { option: 'url', value: redactUrl(url) })
  }
  const { password: urlPassword, ssl: urlSsl, ...settings } = parsed
  if (urlPassword !== undefined && urlPassword !== '') credentials.passwordFrom = 'the URL'
  /** Called by `pg` as a method of the client that connects, with the parameters it connects with, when the server asks for a password. */
  async function lookUp(this: ConnectingClient | undefined, target: PasswordTarget): Promise<string> {
    const found = await findPassword(target)
    if (found.password === undefined) {
      // `pg` leaves the socket of a client whose password function failed open until the server
      // gives up on it (authentication_timeout, a minute), which keeps a command from exiting: close it.
      const stream = this?.connection?.stream
      setImmediate(() => stream?.destroy())
      const safe = redactUrl(url)
      const line = `${target.host}:${String(target.port)}:${target.database}:${target.user}`
      throw new PostgresStoreError('TEAM_REFUSED', `The team database at ${safe} asks for a password for user "${target.user}" and none was found: ${found.reason}. Set PGPASSWORD, or add the line ${line}:<password> to ${found.file} (mode 0600).`, { url: safe, sqlState: undefined, passwordFrom: undefined })
    }
    credentials.passwordFrom = found.from
    return found.password
  }
  const tls = tlsOptions(urlSsl, ssl)
  return {
    // The URL's settings as `pg` itself lays them over its config: strings where it takes numbers too.
    ...(settings as unknown as PoolConfig),
    // `pg` calls a password function with the parameters it connects with (its types leave them out).
    password: credentials.passwordFrom === 'the URL' ? urlPassword : (lookUp as unknown as () => Promise<string>),
    ...(tls === undefined ? {} : { ssl: tls }),
  }
}

/** The URL's TLS settings with the given options over them: an object key by key, `false` instead, `true` as the URL's or else Node's defaults. */
function tlsOptions(fromUrl: ConnectionOptions['ssl'], given: PoolConfig['ssl']): PoolConfig['ssl'] {
  const urlObject = typeof fromUrl === 'object' ? (fromUrl as Exclude<PoolConfig['ssl'], boolean | undefined>) : undefined
  if (given === undefined) return fromUrl as PoolConfig['ssl']
  if (given === true) return urlObject ?? true
  if (given === false) return false
  return { ...urlObject, ...given }
}
