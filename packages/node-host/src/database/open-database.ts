import type { ScoringRulesInput } from '@agent-tracker/core'
import type { LmdbStore } from '@agent-tracker/lmdb-store'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import type { DatabasePathSources } from './database-path.js'
import { resolveDatabasePath } from './database-path.js'
import type { LongUpgrade } from './long-upgrade.js'
import { longUpgradeOf } from './long-upgrade.js'

/** Where the database is and how to open it. */
export interface DatabaseOptions extends DatabasePathSources {
  /** Size limit of the database file in bytes, 1 MiB..2 GiB; default 512 MiB. */
  readonly maxDatabaseSize?: number | undefined
  /** Scoring rules facts are applied with (partial rules merge over the defaults). */
  readonly rules?: ScoringRulesInput | undefined
  /** Open without writing anything (reads only; the database must exist). */
  readonly readOnly?: boolean | undefined
  /**
   * Called before an open that upgrades a database of release 0.1.0 (every record rewritten in one
   * transaction: seconds for a large database), with the records to rewrite: a host says so first.
   */
  readonly onLongUpgrade?: ((upgrade: LongUpgrade) => void) | undefined
  /** What a write does while another process holds the write lock: `wait` (default) or `refuse` (see `LmdbStoreOptions.whileLocked`). */
  readonly whileLocked?: 'wait' | 'refuse' | undefined
}

/**
 * Opens the central database by the path rules every host shares (explicit path >
 * `AGENT_TRACKER_DB` > `~/.config/opencode/agent-tracker.lmdb`), creating it and its folders
 * when absent (unless read-only).
 * @throws {NodeHostError} INVALID_DATABASE_PATH; {LmdbStoreError} INVALID_OPTION, DATABASE_UNREADABLE, DATABASE_UNWRITABLE, DATABASE_TOO_NEW.
 */
export function openDatabase(options: DatabaseOptions = {}): LmdbStore {
  const databasePath = resolveDatabasePath(options)
  if (options.onLongUpgrade !== undefined) {
    const upgrade = longUpgradeOf(databasePath)
    if (upgrade !== undefined) options.onLongUpgrade(upgrade)
  }
  return openLmdbStore({
    databasePath,
    ...(options.maxDatabaseSize === undefined ? {} : { maxDatabaseSize: options.maxDatabaseSize }),
    ...(options.rules === undefined ? {} : { rules: options.rules }),
    readOnly: options.readOnly ?? false,
    ...(options.whileLocked === undefined ? {} : { whileLocked: options.whileLocked }),
  })
}
