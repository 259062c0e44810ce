import type { SetupTotalsRecord, UsageRecord } from '@agent-tracker/core'
import { addRollupToTotals, emptySetupTotals, totalsOfRollups } from '@agent-tracker/core'
import type { Database } from 'lmdb'
import { SETUP_TOTALS_KEY, prefixRange, toLmdbKey } from './layout.js'
import type { QueryTables } from './record-queries.js'

/**
 * Keeps a setup's totals in step with one of its day rollups written over `previous` (undefined
 * for a new one), inside the caller's write transaction, before the rollup is put: a new rollup
 * in a project where the setup has none adds a project.
 */
export function totalsOnRollupPut(db: QueryTables, previous: UsageRecord | undefined, rollup: UsageRecord): void {
  const totals = totalsTable(db)
  const key = toLmdbKey([rollup.setup])
  let next = totals.get(key) ?? emptySetupTotals(rollup.setup)
  if (previous !== undefined) next = addRollupToTotals(next, previous, -1)
  const firstInProject = previous === undefined && !hasRollups(db, rollup.setup, rollup.project)
  totals.putSync(key, addRollupToTotals(next, rollup, 1, firstInProject ? 1 : 0))
}

/** Takes a removed day rollup out of its setup's totals, after it was removed; the last one of a project takes the project away. */
export function totalsOnRollupRemoved(db: QueryTables, removed: UsageRecord): void {
  const totals = totalsTable(db)
  const key = toLmdbKey([removed.setup])
  const lastInProject = !hasRollups(db, removed.setup, removed.project)
  totals.putSync(key, addRollupToTotals(totals.get(key) ?? emptySetupTotals(removed.setup), removed, -1, lastInProject ? -1 : 0))
}

/**
 * Adds up every day rollup again into the setup totals, replacing what they held, and marks them
 * complete: for a database written before they existed, and after an upgrade rewrote the rollups.
 */
export function rebuildSetupTotals(db: QueryTables): void {
  const totals = totalsTable(db)
  for (const key of totals.getKeys()) totals.removeSync(key)
  const rollups = db.tables.usage.getRange().map(({ value }) => value)
  for (const [setup, record] of totalsOfRollups(rollups)) totals.putSync(toLmdbKey([setup]), record)
  db.meta.putSync(SETUP_TOTALS_KEY, 1)
}

/** The stored setup totals, or undefined where a database written before them has none yet (read-only). */
export function readSetupTotals(db: QueryTables): SetupTotalsRecord[] | undefined {
  if (db.setupTotals === undefined || db.meta.get(SETUP_TOTALS_KEY) === undefined) return undefined
  return [...db.setupTotals.getRange().map(({ value }) => value)]
}

function hasRollups(db: QueryTables, setup: string, project: string): boolean {
  for (const _ of db.tables.usage.getKeys({ ...prefixRange([setup, project]), limit: 1 })) return true
  return false
}

function totalsTable(db: QueryTables): Database<SetupTotalsRecord> {
  // Only a read-only open of an older file lacks it, and nothing is written there.
  if (db.setupTotals === undefined) throw new Error('the setup totals are not open for writing')
  return db.setupTotals
}
