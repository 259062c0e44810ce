import type { SetupTotalsRecord, UsageRecord } from '@agent-tracker/core'
import { addRollupToTotals, emptySetupTotals, totalsOfRollups } from '@agent-tracker/core'
import type { Database } from 'lmdb'
import { SETUP_TOTALS_KEY, prefixRange, toLmdbKey } from './layout.js'
import { OutcomeDaysInStep } from './outcome-days.js'
import { ProjectDaysInStep } from './project-days.js'
import type { QueryTables } from './record-queries.js'

/**
 * Keeps the setup totals, the project days and the outcome days (see `ProjectDaysInStep` and
 * `OutcomeDaysInStep`) in step with the day rollups one call of `putRecords` or `deleteRecords`
 * writes, inside its write transaction: each setup's totals are read once, moved by every rollup
 * of it, and written once by {@link write}. A rollup's previous value must be what is stored
 * (planning replaces a rollup's nested objects, never changes them in place).
 */
export class TotalsInStep {
  readonly #db: QueryTables
  readonly #moved = new Map<string, SetupTotalsRecord>()
  readonly #days: ProjectDaysInStep
  readonly #outcomes: OutcomeDaysInStep

  constructor(db: QueryTables) {
    this.#db = db
    this.#days = new ProjectDaysInStep(db)
    this.#outcomes = new OutcomeDaysInStep(db)
  }

  /** Before a rollup is put over `previous` (undefined for a new one): a new rollup in a project where its setup has none adds the project. */
  put(previous: UsageRecord | undefined, rollup: UsageRecord): void {
    let totals = this.#totals(rollup.setup)
    if (previous !== undefined) totals = addRollupToTotals(totals, previous, -1)
    const firstInProject = previous === undefined && !hasRollups(this.#db, rollup.setup, rollup.project)
    this.#moved.set(rollup.setup, addRollupToTotals(totals, rollup, 1, firstInProject ? 1 : 0))
    this.#days.move(previous, rollup)
    this.#outcomes.move(previous, rollup)
  }

  /** After a rollup was removed: the last one of a project takes the project away. */
  removed(rollup: UsageRecord): void {
    const lastInProject = !hasRollups(this.#db, rollup.setup, rollup.project)
    this.#moved.set(rollup.setup, addRollupToTotals(this.#totals(rollup.setup), rollup, -1, lastInProject ? -1 : 0))
    this.#days.move(rollup, undefined)
    this.#outcomes.move(rollup, undefined)
  }

  /** Writes the totals, project days and outcome days that moved; a setup left without rollups keeps no totals. */
  write(): void {
    this.#days.write()
    this.#outcomes.write()
    if (this.#moved.size === 0) return
    const table = totalsTable(this.#db)
    for (const [setup, totals] of this.#moved) {
      if (totals.projects > 0) table.putSync(toLmdbKey([setup]), totals)
      else table.removeSync(toLmdbKey([setup]))
    }
    this.#moved.clear()
  }

  #totals(setup: string): SetupTotalsRecord {
    return this.#moved.get(setup) ?? totalsTable(this.#db).get(toLmdbKey([setup])) ?? emptySetupTotals(setup)
  }
}

/**
 * Adds up every day rollup again into the setup totals, replacing what they held, and marks them
 * complete: for a database written before they existed, and after an upgrade rewrote the rollups.
 */
export function rebuildSetupTotals(db: QueryTables): void {
  const totals = totalsTable(db)
  for (const key of [...totals.getKeys()]) totals.removeSync(key)
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
