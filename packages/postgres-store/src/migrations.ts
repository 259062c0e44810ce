import type { PoolClient, QueryConfig } from 'pg'
import type { StallLimits } from './stall-limits.js'
import { transactionLimits } from './stall-limits.js'

/**
 * The team database's versioned migrations, oldest first: each runs once, in its own
 * transaction, and is remembered in `schema_migrations`. `{S}` stands for the quoted schema name.
 * Never edit a released migration: add the next one.
 */
export const MIGRATIONS: readonly { readonly version: number; readonly name: string; readonly statements: readonly string[] }[] = [
  {
    version: 1,
    name: 'records, fact ids, fact log, migrations and sync sources, per member',
    statements: [
      // `member` is '' for the whole team, else one member's share: every fact is applied to both.
      `CREATE TABLE {S}.records (
        member text NOT NULL, collection text NOT NULL,
        k1 text COLLATE "C" NOT NULL, k2 text COLLATE "C" NOT NULL, k3 text COLLATE "C" NOT NULL,
        at text COLLATE "C" NOT NULL, setup text COLLATE "C", project text COLLATE "C",
        record json NOT NULL,
        PRIMARY KEY (member, collection, k1, k2, k3))`,
      'CREATE INDEX records_by_time ON {S}.records (member, collection, at)',
      'CREATE INDEX records_by_setup ON {S}.records (member, collection, setup, at)',
      'CREATE INDEX records_by_project ON {S}.records (member, collection, project, at)',
      'CREATE TABLE {S}.fact_ids (member text NOT NULL, id text NOT NULL, seq bigint NOT NULL, PRIMARY KEY (member, id))',
      // `source` names the machine's database a synced fact came from (null for facts applied directly).
      'CREATE TABLE {S}.fact_log (member text NOT NULL, seq bigint NOT NULL, fact json NOT NULL, source text, PRIMARY KEY (member, seq))',
      'CREATE TABLE {S}.migrations (member text NOT NULL, id text NOT NULL, at text COLLATE "C" NOT NULL, record json NOT NULL, PRIMARY KEY (member, id))',
      `CREATE TABLE {S}.sync_sources (
        source text PRIMARY KEY, member text NOT NULL, machine text NOT NULL,
        acked_seq bigint NOT NULL, facts bigint NOT NULL, last_sync_at timestamptz NOT NULL)`,
      'CREATE TABLE {S}.meta (name text PRIMARY KEY, value text NOT NULL)',
      // Reattributions in the order made: how the fact log reads facts whose records moved to another setup.
      'CREATE TABLE {S}.reattributions (member text NOT NULL, n integer NOT NULL, move json NOT NULL, PRIMARY KEY (member, n))',
    ],
  },
]

/** How long a migration statement may take before this side gives up on it: a day. */
const MIGRATION_ANSWER_MS = 24 * 60 * 60 * 1000

/** The newest migration this release knows. */
export const LATEST_MIGRATION = MIGRATIONS.at(-1)?.version ?? 0

/** The newest migration applied to the schema; 0 when it has none (not set up). */
export async function appliedMigration(client: PoolClient, schema: string): Promise<number> {
  const exists = await client.query<{ found: boolean }>(
    'SELECT to_regclass($1) IS NOT NULL AS found', [`${quoteIdentifier(schema)}.schema_migrations`])
  if (exists.rows[0]?.found !== true) return 0
  const result = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${quoteIdentifier(schema)}.schema_migrations`)
  return result.rows[0]?.version ?? 0
}

/**
 * The tables of a schema that holds no agent-tracker migrations (another program's), sorted, at most
 * five: empty when the schema is not there, is empty, or is agent-tracker's.
 */
export async function foreignTables(client: PoolClient, schema: string): Promise<string[]> {
  const result = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = $1 AND NOT EXISTS
       (SELECT 1 FROM information_schema.tables WHERE table_schema = $1 AND table_name = 'schema_migrations')
     ORDER BY table_name COLLATE "C" LIMIT 5`, [schema])
  return result.rows.map((row) => row.name)
}

/**
 * Brings the schema up to {@link LATEST_MIGRATION}, under a lock so that processes opening it at
 * once run each migration once. Returns the version before and after.
 */
export async function migrate(client: PoolClient, schema: string, stall: Pick<StallLimits, 'idleInTransactionMs' | 'lockWaitMs'>): Promise<{ from: number; to: number }> {
  const s = quoteIdentifier(schema)
  await client.query('BEGIN')
  try {
    await client.query(transactionLimits(stall))
    await client.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`agent-tracker:migrate:${schema}`])
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`)
    await client.query(`CREATE TABLE IF NOT EXISTS ${s}.schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`)
    const from = await appliedMigration(client, schema)
    for (const migration of MIGRATIONS) {
      if (migration.version <= from) continue
      // Given all the time it takes (a table or index built over a large team's rows), not the connections' answer limit.
      for (const statement of migration.statements) {
        // `pg` reads a query's own `query_timeout` (its types leave it out).
        const query: QueryConfig & { readonly query_timeout: number } = { text: statement.replaceAll('{S}', s), query_timeout: MIGRATION_ANSWER_MS }
        await client.query(query)
      }
      await client.query(`INSERT INTO ${s}.schema_migrations (version, name) VALUES ($1, $2)`, [migration.version, migration.name])
    }
    await client.query('COMMIT')
    return { from, to: Math.max(from, LATEST_MIGRATION) }
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined)
    throw error
  }
}

/** A schema (or other) name quoted for SQL. */
export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`
}
