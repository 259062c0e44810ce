import { randomUUID } from 'node:crypto'
import { SCHEMA_VERSION, describeValue } from '@agent-tracker/core'
import type { Database, RootDatabase } from 'lmdb'
import { LmdbStoreError } from './errors.js'
import { DATABASE_ID_KEY, OUTCOME_DAYS_KEY, PROJECT_DAYS_KEY, SCHEMA_VERSION_KEY, SEARCHED_THROUGH_KEY, SETUP_TOTALS_KEY } from './layout.js'
import { rebuildOutcomeDays } from './outcome-days.js'
import { rebuildProjectDays } from './project-days.js'
import { rebuildSetupTotals } from './setup-totals.js'
import type { QueryTables } from './record-queries.js'
import { startSearchBuild } from './search-index.js'
import { upgradeFromSchema1 } from './upgrade-schema-1.js'

/**
 * The schema version stored in `meta`, or undefined when none is stored yet (a new database).
 * @throws {LmdbStoreError} DATABASE_UNREADABLE when the stored value is not a whole number ≥ 1.
 */
export function storedSchemaVersion(meta: Database<unknown>, path: string): number | undefined {
  const value = meta.get(SCHEMA_VERSION_KEY)
  if (value === undefined) return undefined
  if (typeof value === 'number' && Number.isInteger(value) && value >= 1) return value
  throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${path} has an unreadable schema version (${describeValue(value)}); a whole number ≥ 1 is expected. Nothing was changed.`, { path, reason: 'schema' })
}

/** The oldest schema this release reads as it is, read-only: schema 2 holds schema 3's records, without the search indexes (a search then reads the records). */
export const OLDEST_READ_AS_IS = 2

/**
 * True when opening a database of this stored schema for writing rewrites every record, in one
 * write transaction that holds the opening thread for as long (schema 1: 2–3 s for 120,000
 * records): what a host that must not block, like an editor's plugin, opens in a worker first.
 * Newer schemas upgrade in a short transaction (schema 2) or not at all.
 */
export function upgradeRewritesRecords(schemaVersion: number | undefined): schemaVersion is number {
  return schemaVersion !== undefined && schemaVersion < OLDEST_READ_AS_IS
}

/**
 * Checks the stored schema version on open: records this release's version in a database that has
 * none yet, and upgrades a database of an older schema in place, in one write transaction (which
 * another process may have run first: the version is read again inside it). Read-only, neither
 * happens: a schema from {@link OLDEST_READ_AS_IS} on is read as it is, an older one refused.
 * @throws {LmdbStoreError} DATABASE_TOO_NEW for a newer schema; DATABASE_NEEDS_UPGRADE for schema 1 read-only; DATABASE_UNREADABLE for a garbled one.
 */
export function checkSchemaVersion(root: RootDatabase, db: QueryTables, path: string, readOnly: boolean): void {
  const stored = storedSchemaVersion(db.meta, path)
  if (stored !== undefined && stored > SCHEMA_VERSION) {
    throw new LmdbStoreError('DATABASE_TOO_NEW', `The agent-tracker database ${path} has schema version ${String(stored)}, newer than this release understands (${String(SCHEMA_VERSION)}). Upgrade agent-tracker.`, { path, schemaVersion: stored, supportedVersion: SCHEMA_VERSION })
  }
  if (stored === SCHEMA_VERSION) {
    // A database this schema wrote before the setup totals, the project days or the outcome days
    // existed gets them on its first writable open. One whose search indexes hold words cut as an
    // earlier release cut them is not touched here: the first step of the background build
    // (`continueSearchIndexBuild`, which waits for the write lock off the host's thread) empties
    // them and starts it.
    if (!readOnly && KEPT_BESIDE_ROLLUPS.some((key) => db.meta.get(key) === undefined)) {
      root.transactionSync(() => {
        rebuildWhatIsMissing(db)
      })
    }
    return
  }
  if (readOnly) {
    if (!upgradeRewritesRecords(stored)) return
    throw new LmdbStoreError('DATABASE_NEEDS_UPGRADE', `The agent-tracker database ${path} has schema version ${String(stored)} of an earlier release; this release upgrades it in place (to ${String(SCHEMA_VERSION)}) when it opens it for writing. Nothing was changed.`, { path, schemaVersion: stored, supportedVersion: SCHEMA_VERSION })
  }
  root.transactionSync(() => {
    // Another process may have created or upgraded the database meanwhile: only the first one writes.
    const now = storedSchemaVersion(db.meta, path)
    if (now === undefined) {
      db.meta.putSync(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
      db.meta.putSync(DATABASE_ID_KEY, randomUUID())
      for (const key of KEPT_BESIDE_ROLLUPS) db.meta.putSync(key, 1)
      db.meta.putSync(SEARCHED_THROUGH_KEY, 0)
    }
    else if (now === 1) upgradeFromSchema1(root, db)
    else if (now === 2) {
      // The search indexes are built after, a few records a transaction (`LmdbStore.continueSearchIndexBuild`):
      // at a million records, building them here took a writer's process 16–23 s, OpenCode's included.
      startSearchBuild(db)
      rebuildWhatIsMissing(db)
      db.meta.putSync(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
    }
  })
}

/** The meta keys that mark what a store keeps beside the rollups as complete (see {@link rebuildWhatIsMissing}). */
const KEPT_BESIDE_ROLLUPS = [SETUP_TOTALS_KEY, PROJECT_DAYS_KEY, OUTCOME_DAYS_KEY] as const

/** Inside a write transaction: adds up from the rollups what a database written before it existed lacks — the setup totals, the project days, the outcome days. */
function rebuildWhatIsMissing(db: QueryTables): void {
  if (db.meta.get(SETUP_TOTALS_KEY) === undefined) rebuildSetupTotals(db)
  if (db.meta.get(PROJECT_DAYS_KEY) === undefined) rebuildProjectDays(db)
  if (db.meta.get(OUTCOME_DAYS_KEY) === undefined) rebuildOutcomeDays(db)
}
