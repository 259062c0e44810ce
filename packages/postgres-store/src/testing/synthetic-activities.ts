import pg from 'pg'
import { DEFAULT_SCHEMA } from '../open-postgres-store.js'
import { quoteIdentifier } from '../migrations.js'

/** What {@link insertSyntheticActivities} writes. */
export interface SyntheticActivities {
  /** The team database (set up already: open a store for writing first). */
  readonly url: string
  readonly schema?: string
  /** The member whose share to fill ('' for the whole team). */
  readonly member: string
  readonly count: number
  /** Setup ids and project paths the entries cycle through. */
  readonly setups: readonly string[]
  readonly projects: readonly string[]
  /** Ids are `<idPrefix><n>`; times start here and step a minute. */
  readonly idPrefix: string
  readonly start: string
}

/**
 * Writes journal entries straight into the store's records table, built by the server in one
 * statement — for benchmark and test databases of millions of entries, which the store's import
 * path (a few thousand records a second) would take minutes to write. Entries count in no rollup,
 * so nothing else needs changing; they are what `find('activities')`, search and export read.
 */
export async function insertSyntheticActivities(options: SyntheticActivities): Promise<void> {
  const s = quoteIdentifier(options.schema ?? DEFAULT_SCHEMA)
  const client = new pg.Client({ connectionString: options.url })
  await client.connect()
  try {
    await client.query(
      `WITH entry AS (
         SELECT $2 || n AS id, ($3::text[])[1 + n % cardinality($3::text[])] AS setup, ($4::text[])[1 + (n / 7) % cardinality($4::text[])] AS project,
                to_char($5::timestamptz AT TIME ZONE 'UTC' + n * interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, n
         FROM generate_series(0, $6::int - 1) AS n)
       INSERT INTO ${s}.records (member, collection, k1, k2, k3, at, setup, project, record)
       SELECT $1, 'activities', setup, at, id, at, setup, project,
              json_build_object('v', 1, 'id', id, 'setup', setup, 'project', project, 'at', at,
                'task', (ARRAY['stripe webhook retries', 'cart totals in cents', 'login rate limit', 'csv export', 'oauth callback'])[1 + n % 5] || ' ' || (n % 5000),
                'actions', 'edited files and ran the tests', 'outcome', CASE WHEN n % 40 = 0 THEN 'tests failed, reverted' ELSE 'done' END, 'decisions', 'kept the change small')
       FROM entry
       ON CONFLICT DO NOTHING`,
      [options.member, options.idPrefix, options.setups, options.projects, options.start, options.count])
  } finally {
    await client.end()
  }
}
