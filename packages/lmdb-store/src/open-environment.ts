import { existsSync, mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import type { CollectionName, SetupTotalsRecord } from '@agent-tracker/core'
import { COLLECTIONS } from '@agent-tracker/core'
import type { Database, RootDatabase } from 'lmdb'
import { open, openAsClass } from 'lmdb'
import { damageMark, folderOfOtherFiles } from './damage-mark.js'
import type { DataFileCheck } from './data-file.js'
import { checkDataFile, checkLockFile, locateDataFile, lockAccessProblem, lockFileRoomProblem } from './data-file.js'
import type { DatabaseFormat } from './database-format.js'
import { describeDatabaseFormat, recogniseDataFile } from './database-format.js'
import { LmdbStoreError } from './errors.js'
import type { StoredFactBatch } from './fact-log-codec.js'
import { COMMITS_BY_SETUP, FACT_IDS, FACT_LOG, INDEX_DATABASES, META, OUTCOME_DAYS, PROJECT_DAYS, SEARCH_DATABASES, SETUP_TOTALS, STRUCTURES_KEY, SUB_DATABASES } from './layout.js'
import type { SearchReads, SearchTables } from './search-index.js'
import { searchReadOptions } from './search-index.js'
import type { QueryTables, StoredProjectDay } from './record-queries.js'
import type { StoredOutcomeMonth } from './outcome-days.js'
import { translateOpenError } from './store-errors.js'

/** An open environment and its sub-databases. */
export interface Environment extends QueryTables {
  readonly root: RootDatabase
  readonly dataFile: string
}

/**
 * Checks the files at `path` and opens the LMDB environment with every sub-database. Nothing is
 * mapped before the data file passed {@link checkDataFile}: LMDB crashes the process on damaged files.
 * @throws {LmdbStoreError} DATABASE_UNREADABLE or DATABASE_UNWRITABLE naming the file or folder.
 */
export function openEnvironment(path: string, mapSize: number, readOnly: boolean, unchecked = false): Environment {
  const { dataFile, lockFile, noSubdir } = locateDataFile(path)
  const folder = folderOfOtherFiles(path)
  if (folder !== undefined) throw new LmdbStoreError('INVALID_OPTION', `Invalid databasePath ${path}: ${folder}`, { option: 'databasePath', value: path })
  // Unchecked (read-only, in a disposable child that salvages what it can): the file is taken as it is.
  const check: DataFileCheck = unchecked ? { ok: true, exists: true } : checkDataFile(dataFile)
  if (!check.ok) {
    throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${dataFile} is unreadable: ${check.problem}. Nothing was opened or changed.`, { path: dataFile, reason: check.damaged ? 'damaged' : 'open' })
  }
  const damage = readOnly ? undefined : damageMark(path)
  if (damage !== undefined) {
    throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${dataFile} was found damaged (${damage.at}: ${damage.problem}); nothing is written to it until a deep check finds it intact.`, { path: dataFile, reason: 'damaged' })
  }
  if (readOnly && !check.exists) {
    throw new LmdbStoreError('DATABASE_UNREADABLE', `There is no agent-tracker database at ${dataFile}.`, { path: dataFile, reason: 'missing' })
  }
  if (check.exists && !unchecked) refuseOtherFormats(path, recogniseDataFile(dataFile, check), readOnly)
  ensureFolder(noSubdir ? dirname(path) : path)
  const lockProblem = checkLockFile(lockFile)
  if (lockProblem !== undefined) {
    throw new LmdbStoreError('DATABASE_UNWRITABLE', `The agent-tracker database ${path} cannot be opened: ${lockProblem}. Remove it; LMDB recreates it.`, { path: lockFile, reason: 'lock-file' })
  }
  // A database not there yet is created by LMDB with its lock file, and a failure to is said as such.
  const access = readOnly || !check.exists ? undefined : lockAccessProblem(lockFile)
  if (access !== undefined) {
    throw new LmdbStoreError('DATABASE_UNWRITABLE', `The agent-tracker database ${path} cannot be written: ${access}. Reads still work.`, { path: lockFile, reason: 'permission' })
  }
  const room = lockFileRoomProblem(lockFile)
  if (room !== undefined) {
    throw new LmdbStoreError('DATABASE_UNWRITABLE', `The agent-tracker database ${path} cannot be ${check.exists ? 'opened' : 'created'}: ${room}. Nothing was opened or changed; free some space on that disk and try again.`, { path: lockFile, reason: 'disk-full' })
  }
  try {
    // overlappingSync off: a commit is on disk when transactionSync returns, and lmdb-js then
    // registers no exit hook of its own — that hook closes environments before a host's own
    // 'exit' listener can flush, and a transaction on a closed environment segfaults.
    // eventTurnBatching off: lmdb-js wraps the async writes of an event turn in a batch whose own
    // promise it keeps nowhere, so a failed commit (a full disk) rejected it unhandled, ending the
    // process; the store's only async writes are its child transactions, each a batch of its own.
    const options = { path, noSubdir, mapSize, maxDbs: 32, readOnly, overlappingSync: false, eventTurnBatching: false }
    if (readOnly) {
      const root = open(options)
      return { root, ...openTables(root), dataFile }
    }
    // A database that holds its sub-databases already is opened without the write lock, so that a
    // writer of another process (a merge, an import, a CLI stopped with Ctrl-Z) never holds the open up.
    const unlocked = check.exists ? openWithoutWriteLock(options) : undefined
    if (unlocked?.tables !== undefined) return { root: unlocked.root, ...unlocked.tables, dataFile }
    const root = unlocked?.root ?? open(options)
    // A writer creates a new database's sub-databases (or those an earlier schema lacks) in one
    // write transaction: one commit, where one each made a new database wait for the disk some fifty times.
    return { root, ...root.transactionSync(() => openTables(root)), dataFile }
  } catch (error) {
    throw translateOpenError(error, path, !check.exists)
  }
}

/** The options {@link openEnvironment} opens an environment with. */
interface EnvironmentOptions {
  readonly path: string
  readonly noSubdir: boolean
  readonly mapSize: number
  readonly maxDbs: number
  readonly readOnly: boolean
  readonly overlappingSync: boolean
}

/** What lmdb-js's stores do to read (see {@link openWithoutWriteLock}). */
interface ReadTransactions {
  resetReadTxn(): void
  ensureReadTxn(): void
}

type TransactionSync = (this: ReadTransactions, callback: () => unknown, flags?: number) => unknown

/**
 * Opens a writable environment and its sub-databases without LMDB's write lock, which a writer of
 * another process may hold for as long as it likes. lmdb-js opens every database handle of a
 * writable environment — the root's too — in a synchronous write transaction; LMDB itself opens
 * the handle of an existing sub-database in a read transaction as well (what lmdb-js does for a
 * read-only environment, and what the handle then is: environment-wide, the same for later write
 * transactions). So while the root and the tables are made, lmdb-js's `transactionSync` of this
 * environment's stores (a class of its own per environment) runs the opening in a fresh read
 * transaction instead, as read-only opens do; it is put back before anything else can run. A
 * sub-database missing (a new database, an earlier schema) makes LMDB refuse to create it there:
 * `tables` is then undefined and the caller opens them in a write transaction.
 */
function openWithoutWriteLock(options: EnvironmentOptions): { root: RootDatabase; tables: QueryTables | undefined } {
  const Root = openAsClass(options) as unknown as new (name: null, options: object) => RootDatabase
  const prototype = Root.prototype as unknown as { transactionSync: TransactionSync }
  const writing = prototype.transactionSync
  prototype.transactionSync = function openInReadTransaction(this: ReadTransactions, callback: () => unknown): unknown {
    this.resetReadTxn()
    this.ensureReadTxn()
    return callback()
  }
  try {
    const root = new Root(null, { ...options, isRoot: true })
    try {
      return { root, tables: openTables(root) }
    } catch {
      // The read transaction that was refused a sub-database ends here, before a write transaction opens them.
      ;(root as unknown as ReadTransactions).resetReadTxn()
      return { root, tables: undefined }
    }
  } finally {
    prototype.transactionSync = writing
  }
}

/**
 * Opens every sub-database of schema 3. Record tables and the fact log keep their records' field
 * names once, as shared structures under {@link STRUCTURES_KEY}; indexes hold small plain values;
 * search indexes, raw bytes.
 */
export function openTables(root: RootDatabase): QueryTables {
  const structured = (name: string): Database<unknown> => root.openDB({ name, sharedStructuresKey: STRUCTURES_KEY })
  const plain = (name: string): Database<unknown> => root.openDB({ name })
  // A writer creates a new database's sub-databases in one transaction (see `openEnvironment`).
  // `meta` still comes first: earlier releases committed them one at a time, and a file their
  // process left cut short halfway is recognised as ours by it (meta beside our own names only).
  const meta = plain(META)
  const tables = Object.fromEntries(COLLECTIONS.map((c) => [c, structured(SUB_DATABASES[c])])) as unknown as QueryTables['tables']
  // Read-only, a table an earlier schema lacks is not there (undefined), nor then its second opening.
  const valuesOf = (c: CollectionName, table: Database<unknown> | undefined): Database<unknown> | undefined =>
    table === undefined ? undefined : root.openDB({ name: SUB_DATABASES[c], sharedStructuresKey: STRUCTURES_KEY, ...valuesOnlyKeys(table) })
  const values = Object.fromEntries(COLLECTIONS.map((c) => [c, valuesOf(c, tables[c] as Database<unknown> | undefined)])) as unknown as QueryTables['values']
  const indexes = Object.fromEntries([
    ['commitsBySetup', plain(COMMITS_BY_SETUP)],
    ...Object.entries(INDEX_DATABASES).map(([name, database]) => [name, plain(database)]),
  ]) as QueryTables['indexes']
  const search = Object.fromEntries(Object.entries(SEARCH_DATABASES).map(([collection, name]) => [collection, root.openDB<Uint8Array, Uint8Array>({ name, keyEncoding: 'binary', encoding: 'binary' })])) as unknown as SearchTables
  // After `search`, which makes them in a new database: read-only, an index an earlier schema lacks is not there.
  const searchReads = Object.fromEntries(Object.entries(SEARCH_DATABASES).map(([collection, name]) => [collection, root.openDB(searchReadOptions(name))])) as unknown as SearchReads
  // Read-only, undefined in a database written before the project days existed.
  const projectDays = plain(PROJECT_DAYS) as Database<StoredProjectDay> | undefined
  // Likewise in a database written before the outcome days existed.
  const outcomeDays = plain(OUTCOME_DAYS) as Database<StoredOutcomeMonth> | undefined
  return {
    tables,
    values,
    indexes,
    search,
    searchReads,
    factLog: structured(FACT_LOG) as Database<StoredFactBatch>,
    factIds: plain(FACT_IDS) as Database<number>,
    factIdBytes: root.openDB<Uint8Array>({ name: FACT_IDS, encoding: 'binary' }),
    meta,
    setupTotals: plain(SETUP_TOTALS) as Database<SetupTotalsRecord>,
    projectDays,
    projectDayValues: projectDays === undefined ? undefined : root.openDB<StoredProjectDay>({ name: PROJECT_DAYS, ...valuesOnlyKeys(projectDays) }),
    outcomeDays,
    outcomeDayValues: outcomeDays === undefined ? undefined : root.openDB<StoredOutcomeMonth>({ name: OUTCOME_DAYS, ...valuesOnlyKeys(outcomeDays) }),
  }
}

/** How lmdb-js writes and reads the keys of a sub-database (its `keyEncoder`; ordered-binary by default). */
interface KeyEncoder {
  writeKey(key: unknown, target: Uint8Array, position: number): number
  readKey(source: Uint8Array, start: number, end: number): unknown
  /** lmdb-js calls it on a key encoder it is given: present, the keys stay null-terminated as lmdb-js's own are. */
  enableNullTermination(): void
}

/**
 * Options that open a sub-database again with the keys of `table` written as it writes them — so
 * ranges and prefixes find the same records — and read as nothing: the range's entries then carry
 * no key, and lmdb-js spends nothing decoding one. `enableNullTermination` does nothing, as lmdb-js
 * enabled it for its default encoder on load; its presence keeps the keys of the kind lmdb-js's own
 * are (not raw bytes).
 */
function valuesOnlyKeys(table: Database<unknown>): { keyEncoder: KeyEncoder } {
  const { writeKey } = table as unknown as Pick<KeyEncoder, 'writeKey'>
  return { keyEncoder: { writeKey, readKey: () => undefined, enableNullTermination: () => undefined } }
}

/**
 * Makes every table that keeps shared structures load them from the database again before its
 * next write. After a write transaction rolls back, structures it added exist only in memory; a
 * record written with one of them later would be unreadable to every other process.
 */
export function reloadStructures(db: QueryTables): void {
  // Read-only, a sub-database an earlier schema lacks is not there to open.
  for (const table of [...Object.values(db.tables), ...Object.values(db.values), db.factLog] as unknown[]) {
    const structures = (table as { encoder?: { structures?: { uninitialized?: boolean } } } | undefined)?.encoder?.structures
    if (structures !== undefined) structures.uninitialized = true
  }
}

/**
 * Lets only our own database (or an LMDB file holding nothing) be opened: anything else at the
 * path — the predecessor's databases, another program's — is never mapped, locked or written.
 * @throws {LmdbStoreError} NOT_AGENT_TRACKER_DATABASE with the format found; DATABASE_UNREADABLE
 * for a read of a database that holds no data yet.
 */
function refuseOtherFormats(path: string, format: DatabaseFormat, readOnly: boolean): void {
  if (format.kind === 'agent-tracker' && (format.marked || !readOnly)) return
  if (format.kind === 'empty' || format.kind === 'agent-tracker') {
    if (!readOnly) return
    throw new LmdbStoreError('DATABASE_UNREADABLE', `There is no agent-tracker data at ${path} yet.`, { path, reason: 'missing' })
  }
  throw new LmdbStoreError('NOT_AGENT_TRACKER_DATABASE', `${path} holds ${describeDatabaseFormat(format)}, not an agent-tracker database; it was not opened or changed.`, { path, format })
}

function ensureFolder(folder: string): void {
  // mkdirSync's recursion never ends under /proc/<pid>/…, and would freeze the host.
  if (!existsSync(folder) && /^\/proc(\/|$)/.test(folder)) {
    throw new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot create the folder ${folder} for the agent-tracker database: it is inside /proc, where no folder can be made.`, { path: folder, reason: 'folder' })
  }
  try {
    mkdirSync(folder, { recursive: true })
  } catch (error) {
    // A file where a folder of the path should be: permissions are not the trouble.
    const file = ['EEXIST', 'ENOTDIR'].includes((error as NodeJS.ErrnoException).code ?? '') ? fileInPath(folder) : undefined
    if (file !== undefined) {
      throw new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot create the folder ${folder} for the agent-tracker database: ${file} is a file, not a folder. Give a database path whose folders are folders, or move ${file} aside.`, { path: file, reason: 'not-a-folder' }, { cause: error })
    }
    throw new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot create the folder ${folder} for the agent-tracker database: ${(error as Error).message}.`, { path: folder, reason: 'folder' }, { cause: error })
  }
}

/** The first part of `folder`'s path, from the root, that exists and is no folder; undefined when there is none. */
function fileInPath(folder: string): string | undefined {
  let path = folder
  const parts: string[] = []
  for (let parent = dirname(path); parent !== path; path = parent, parent = dirname(path)) parts.unshift(path)
  for (const part of parts) {
    try {
      if (!statSync(part).isDirectory()) return part
    } catch {
      return undefined
    }
  }
  return undefined
}

