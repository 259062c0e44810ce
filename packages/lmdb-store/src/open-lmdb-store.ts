import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ScoringRulesInput } from '@agent-tracker/core'
import { resolveRules } from '@agent-tracker/core'
import type { DatabasePathSources } from './database-path.js'
import { MEMORY_PATH, resolveDatabasePath } from './database-path.js'
import { validateMaxDatabaseSize } from './database-size.js'
import { LmdbStore } from './lmdb-store.js'

/** Options of {@link openLmdbStore}. */
export interface LmdbStoreOptions extends DatabasePathSources {
  /** Size limit of the database file in bytes, 1 MiB..2 GiB; default 512 MiB. */
  readonly maxDatabaseSize?: number
  /** Scoring rules the store applies facts with (partial rules merge over the defaults). */
  readonly rules?: ScoringRulesInput
  /** Open without writing anything, not even the schema version. */
  readonly readOnly?: boolean
}

/**
 * Opens (creating when absent) the central database. The data file is checked before LMDB maps
 * it, because LMDB crashes the process on garbage or truncated files.
 * @throws {LmdbStoreError} INVALID_OPTION, DATABASE_UNREADABLE, DATABASE_UNWRITABLE, DATABASE_TOO_NEW.
 */
export function openLmdbStore(options: LmdbStoreOptions = {}): LmdbStore {
  const maxDatabaseSize = validateMaxDatabaseSize(options.maxDatabaseSize)
  const rules = resolveRules(options.rules ?? {})
  const resolved = resolveDatabasePath(options)
  const temporary = resolved === MEMORY_PATH ? mkdtempSync(join(tmpdir(), 'agent-tracker-')) : undefined
  const path = temporary === undefined ? resolved : join(temporary, 'agent-tracker.lmdb')
  try {
    return new LmdbStore({ path, maxDatabaseSize, rules, readOnly: options.readOnly ?? false, temporary })
  } catch (error) {
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true })
    throw error
  }
}

