import type { ScoringRulesInput } from '@agent-tracker/core'
import { resolveRules } from '@agent-tracker/core'
import type { PoolConfig } from 'pg'
import pg from 'pg'
import { PostgresStoreError, redactUrl, translatePgError } from './errors.js'
import { LATEST_MIGRATION, appliedMigration, migrate } from './migrations.js'
import type { WriteConcurrency } from './postgres-store.js'
import { PostgresStore } from './postgres-store.js'

/** Options of {@link openPostgresStore}. */
export interface PostgresStoreOptions {
  /**
   * A `postgres://` (or `postgresql://`) URL. Leave the password out: `pg` takes it from
   * `PGPASSWORD` or `~/.pgpass`. TLS settings may ride along (`?sslmode=verify-full&sslrootcert=…`).
   */
  readonly url: string
  /** The schema holding the tracker's tables (default `agent_tracker`). */
  readonly schema?: string
  /** Whose share to read and write: a member's name, or '' (default) for the whole team. */
  readonly member?: string
  /** Scoring rules (partial rules are merged over the defaults). */
  readonly rules?: ScoringRulesInput
  /** TLS options passed to `pg` as they are (`ssl` of its client config); overrides the URL's. */
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
}

/** The default schema of the tracker's tables. */
export const DEFAULT_SCHEMA = 'agent_tracker'

const NAME = /^[a-z_][a-z0-9_]{0,62}$/

/**
 * Connects to a team database and checks (or, for writing, brings up to date) its schema.
 * @throws {PostgresStoreError} INVALID_OPTION, TEAM_UNREACHABLE, TEAM_REFUSED, TEAM_TOO_NEW or TEAM_NOT_SET_UP.
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
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 4,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 10_000,
    ...(options.ssl === undefined ? {} : { ssl: options.ssl }),
  })
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
      if (applied < LATEST_MIGRATION) {
        if (options.mode === 'read') {
          if (applied === 0) throw new PostgresStoreError('TEAM_NOT_SET_UP', `The team database at ${redactUrl(url)} has no agent-tracker data yet (schema "${schema}"): the first sync sets it up.`, { url: redactUrl(url), schema })
        } else {
          await migrate(client, schema)
        }
      }
    } finally {
      client.off('error', ignore)
      client.release()
    }
  } catch (error) {
    await pool.end().catch(() => undefined)
    throw translatePgError(error, url)
  }
  return new PostgresStore({ pool, url, schema, member, concurrency: options.concurrency ?? 'lock' }, rules, true)
}
