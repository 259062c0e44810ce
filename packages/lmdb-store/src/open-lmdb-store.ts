import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'
import type { ScoringRulesInput } from '@agent-tracker/core'
import { describeValue, resolveRules } from '@agent-tracker/core'
import { validateMaxDatabaseSize } from './database-size.js'
import { LmdbStoreError, isLmdbStoreError } from './errors.js'
import { LmdbStore } from './lmdb-store.js'
import { MEMORY_PATH } from './memory-path.js'

/** Options of {@link openLmdbStore}. */
export interface LmdbStoreOptions {
  /**
   * The database: an absolute path (a file, or a folder holding `data.mdb`), or
   * {@link MEMORY_PATH}. Where a host's database lives by default, and how its users name it, is
   * the host's business (the Node host kit resolves `AGENT_TRACKER_DB` and the home folder).
   */
  readonly databasePath: string
  /** Size limit of the database file in bytes, 1 MiB..2 GiB; default 512 MiB. */
  readonly maxDatabaseSize?: number
  /** Scoring rules the store applies facts with (partial rules merge over the defaults). */
  readonly rules?: ScoringRulesInput
  /** Open without writing anything, not even the schema version. */
  readonly readOnly?: boolean
  /**
   * What to do with a database an earlier release wrote: upgrade it in place (default; also when
   * opening read-only, through a short writable open first), or refuse it with
   * DATABASE_NEEDS_UPGRADE (`false`; for files that must stay as they are, like a merge source).
   * A read-only open reads a database of schema 2 as it is, whatever this says: it holds this
   * schema's records, without the search indexes (a search then reads its records); the first
   * writable open builds them.
   */
  readonly upgrade?: boolean
  /**
   * Skip the checks of the data file before LMDB maps it (read-only only). LMDB may then crash the
   * process on a damaged file: only for a disposable child process that reads what it can (salvage).
   */
  readonly unchecked?: boolean
  /**
   * What an asynchronous write (`applyFacts` and the other writes that wait off the calling thread)
   * does while another process holds the write lock: `wait` for it (default; as long as that
   * process holds it), or `refuse` — throw DATABASE_BUSY at once, writing nothing — for a host that
   * must be able to end at any moment: a write waiting for the lock cannot be called off, and keeps
   * its process from ending. Where the lock's holder cannot be told (see `writeLockHolder`: only on
   * Linux), writes wait.
   */
  readonly whileLocked?: 'wait' | 'refuse'
}

/**
 * Opens (creating when absent) the database at an absolute path. The data file is checked before
 * LMDB maps it, because LMDB crashes the process on garbage or truncated files.
 * A database of an earlier schema is upgraded in place (see `upgrade`).
 * @throws {LmdbStoreError} INVALID_OPTION (a relative path, a bad size), DATABASE_UNREADABLE, DATABASE_UNWRITABLE, DATABASE_TOO_NEW, DATABASE_NEEDS_UPGRADE.
 */
export function openLmdbStore(options: LmdbStoreOptions): LmdbStore {
  const maxDatabaseSize = validateMaxDatabaseSize(options.maxDatabaseSize)
  const rules = resolveRules(options.rules ?? {})
  const given = checkedPath(options.databasePath)
  const temporary = given === MEMORY_PATH ? mkdtempSync(join(tmpdir(), 'agent-tracker-')) : undefined
  const path = temporary === undefined ? given : join(temporary, 'agent-tracker.lmdb')
  const readOnly = options.readOnly ?? false
  const unchecked = readOnly && options.unchecked === true
  try {
    return new LmdbStore({ path, maxDatabaseSize, rules, readOnly, temporary, unchecked, ...(options.whileLocked === undefined ? {} : { whileLocked: options.whileLocked }) })
  } catch (error) {
    if (temporary !== undefined) rmSync(temporary, { recursive: true, force: true })
    if (!readOnly || options.upgrade === false || !isLmdbStoreError(error, 'DATABASE_NEEDS_UPGRADE')) throw error
  }
  // An earlier release's database, opened read-only: a writable open upgrades it in place (lmdb-js
  // closes an environment without pending asynchronous writes at once), then it is opened as asked.
  void new LmdbStore({ path, maxDatabaseSize, rules, readOnly: false, temporary: undefined }).close()
  return new LmdbStore({ path, maxDatabaseSize, rules, readOnly: true, temporary: undefined })
}

/** A relative path would land wherever the process happens to run, so the store takes only absolute ones. */
function checkedPath(value: unknown): string {
  if (value === MEMORY_PATH) return value
  if (typeof value === 'string' && value.trim() !== '' && isAbsolute(value)) return resolve(value)
  throw new LmdbStoreError('INVALID_OPTION', `Invalid databasePath ${describeValue(value)}: accepted is an absolute path, or "${MEMORY_PATH}" for a throw-away database.`, { option: 'databasePath', value })
}
