import { readStoredSchema, upgradeRewritesRecords } from '@agent-tracker/lmdb-store'

/** The upgrade a database's first writable open would make when it rewrites every record. */
export interface LongUpgrade {
  /** The schema the database is at (1: release 0.1.0). */
  readonly fromSchema: number
  /** The records the upgrade rewrites, in one write transaction: seconds for a large database. */
  readonly records: number
}

/**
 * Whether the database at `databasePath` needs the upgrade that rewrites every record (a database of
 * release 0.1.0) before anything can be written to it, read from the file's bytes: nothing is
 * mapped, locked or written. A host that would make someone wait for that upgrade can say so first,
 * run it where nobody waits (`upgradeInWorker`), or leave its write to a later one.
 * @returns undefined for a current, new or missing database, a short upgrade, or a file that is no agent-tracker database (its open says what is wrong).
 */
export function longUpgradeOf(databasePath: string): LongUpgrade | undefined {
  const stored = readStoredSchema(databasePath)
  return stored === undefined || !upgradeRewritesRecords(stored.schemaVersion) ? undefined : { fromSchema: stored.schemaVersion, records: stored.entries }
}
