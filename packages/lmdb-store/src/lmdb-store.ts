import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type {
  AppliedBatch,
  CollectionName,
  CollectionRecords,
  Fact,
  ImportResult,
  MigrationRecord,
  PlannedRecord,
  ProjectProfile,
  ProjectRecord,
  RecordBatch,
  RecordKey,
  RecordQuery,
  RecordReader,
  ScoringRules,
  ScoringRulesInput,
  SyncTrackerStore,
} from '@agent-tracker/core'
import {
  COLLECTIONS,
  SCHEMA_VERSION,
  TrackerError,
  matchesQuery,
  normaliseQuery,
  orderAndLimit,
  planFacts,
  recordKey,
  resolveRules,
  validateFact,
  withProfile,
} from '@agent-tracker/core'
import type { Database, Key, RootDatabase } from 'lmdb'
import { open } from 'lmdb'
import { checkDataFile, checkLockFile, locateDataFile } from './data-file.js'
import type { DatabasePathSources } from './database-path.js'
import { MEMORY_PATH, resolveDatabasePath } from './database-path.js'
import { formatBytes, validateMaxDatabaseSize } from './database-size.js'
import { LmdbStoreError, isLmdbStoreError } from './errors.js'
import {
  COMMITS_BY_SETUP,
  META,
  MIGRATION_PREFIX,
  SCHEMA_VERSION_KEY,
  SUB_DATABASES,
  commitIndexKey,
  prefixRange,
  toLmdbKey,
} from './layout.js'

/** Options of {@link openLmdbStore}. */
export interface LmdbStoreOptions extends DatabasePathSources {
  /** Size limit of the database file in bytes, 1 MiB..2 GiB; default 512 MiB. */
  readonly maxDatabaseSize?: number
  /** Scoring rules the store applies facts with (partial rules merge over the defaults). */
  readonly rules?: ScoringRulesInput
  /** Open without writing anything, not even the schema version. */
  readonly readOnly?: boolean
}

/** Sizes and counts of an open database, for `doctor`. */
export interface LmdbStoreInfo {
  readonly path: string
  readonly dataFile: string
  readonly maxDatabaseSize: number
  /** Bytes the data file occupies up to its last used page. */
  readonly usedBytes: number
  readonly pageSize: number
  readonly readers: number
  readonly maxReaders: number
  readonly schemaVersion: number
  readonly records: Readonly<Record<CollectionName, number>>
}

type AnyDatabase = Database<unknown>
type Tables = { readonly [C in CollectionName]: Database<CollectionRecords[C]> }

const MAP_FULL = -30792
const EVENT_COLLECTIONS: ReadonlySet<CollectionName> = new Set(['gradeEvents', 'bugs', 'activities'])

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

/** The LMDB implementation of the store port: one environment, named sub-databases. */
export class LmdbStore implements SyncTrackerStore {
  readonly rules: ScoringRules
  /** The resolved database path. */
  readonly path: string
  readonly maxDatabaseSize: number
  readonly #dataFile: string
  readonly #root: RootDatabase
  readonly #tables: Tables
  readonly #commitIndex: Database<true>
  readonly #meta: Database<unknown>
  readonly #temporary: string | undefined
  readonly #reader: RecordReader
  #closed = false

  /** Use {@link openLmdbStore}. */
  constructor(settings: { path: string; maxDatabaseSize: number; rules: ScoringRules; readOnly: boolean; temporary: string | undefined }) {
    this.path = settings.path
    this.maxDatabaseSize = settings.maxDatabaseSize
    this.rules = settings.rules
    this.#temporary = settings.temporary
    const { dataFile, lockFile, noSubdir } = locateDataFile(settings.path)
    this.#dataFile = dataFile
    const check = checkDataFile(dataFile)
    if (!check.ok) {
      throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${dataFile} is unreadable: ${check.problem}. Nothing was opened or changed; move the file aside or point databasePath elsewhere.`, { path: dataFile })
    }
    if (settings.readOnly && !check.exists) {
      throw new LmdbStoreError('DATABASE_UNREADABLE', `There is no agent-tracker database at ${dataFile}.`, { path: dataFile })
    }
    ensureFolder(noSubdir ? dirname(settings.path) : settings.path)
    const lockProblem = checkLockFile(lockFile)
    if (lockProblem !== undefined) {
      throw new LmdbStoreError('DATABASE_UNWRITABLE', `The agent-tracker database ${settings.path} cannot be opened: ${lockProblem}. Remove it; LMDB recreates it.`, { path: lockFile })
    }
    try {
      // overlappingSync off: a commit is on disk when transactionSync returns, and lmdb-js then
      // registers no exit hook of its own — that hook closes environments before a host's own
      // 'exit' listener can flush, and a transaction on a closed environment segfaults.
      this.#root = open({ path: settings.path, noSubdir, mapSize: settings.maxDatabaseSize, maxDbs: 16, readOnly: settings.readOnly, overlappingSync: false })
      const openTable = (name: string): AnyDatabase => this.#root.openDB({ name })
      this.#tables = Object.fromEntries(COLLECTIONS.map((c) => [c, openTable(SUB_DATABASES[c])])) as unknown as Tables
      this.#commitIndex = openTable(COMMITS_BY_SETUP) as Database<true>
      this.#meta = openTable(META)
    } catch (error) {
      throw translateOpenError(error, settings.path)
    }
    this.#reader = { get: (collection, key) => this.#table(collection).get(toLmdbKey(key)) }
    this.#checkSchemaVersion(settings.readOnly)
  }

  applyFactsSync(facts: readonly Fact[]): AppliedBatch {
    this.#ensureOpen()
    const checked = facts.map((fact) => validateFact(fact))
    return this.#write(() => {
      const plan = planFacts(this.#reader, checked, this.rules)
      this.#ensureRoom(plan.writes.map((write) => write.record))
      for (const write of plan.writes) this.#put(write)
      return { deferred: false, applied: plan.applied, skipped: plan.skipped, recordsWritten: plan.writes.length }
    })
  }

  applyFacts(facts: readonly Fact[]): Promise<AppliedBatch> {
    return later(() => this.applyFactsSync(facts))
  }

  get<C extends CollectionName>(collection: C, key: RecordKey): Promise<CollectionRecords[C] | undefined> {
    return later(() => {
      this.#ensureOpen()
      return this.#table(collection).get(toLmdbKey(key))
    })
  }

  find<C extends CollectionName>(collection: C, query: RecordQuery = {}): Promise<CollectionRecords[C][]> {
    return later(() => {
      this.#ensureOpen()
      const normal = normaliseQuery(collection, query)
      if (EVENT_COLLECTIONS.has(collection) && normal.setup !== undefined) return this.#findEvents(collection, normal)
      const matching = [...this.#candidates(collection, normal)].filter((record) => matchesQuery(collection, record, normal))
      return orderAndLimit(collection, matching, normal)
    })
  }

  async *scan<C extends CollectionName>(collection: C): AsyncIterable<CollectionRecords[C]> {
    this.#ensureOpen()
    for (const { value } of this.#table(collection).getRange({ snapshot: true })) {
      yield await Promise.resolve(value)
    }
  }

  importRecords(batch: RecordBatch): Promise<ImportResult> {
    return later(() => {
      this.#ensureOpen()
      return this.#write(() => {
        const fresh: PlannedRecord[] = []
        const seen = new Set<string>()
        let skipped = 0
        for (const collection of COLLECTIONS) {
          for (const record of batch[collection] ?? []) {
            const key = recordKey(collection, record as never)
            const slot = JSON.stringify([collection, ...key])
            if (seen.has(slot) || this.#table(collection).doesExist(toLmdbKey(key))) {
              skipped += 1
            } else {
              seen.add(slot)
              fresh.push({ collection, key, record } as PlannedRecord)
            }
          }
        }
        this.#ensureRoom(fresh.map((write) => write.record))
        for (const write of fresh) this.#put(write)
        return { written: fresh.length, skipped }
      })
    })
  }

  saveProjectProfile(path: string, profile: ProjectProfile): Promise<ProjectRecord> {
    return later(() => {
      this.#ensureOpen()
      return this.#write(() => {
        const record = withProfile(this.#tables.projects.get([path]), path, profile)
        this.#ensureRoom([record])
        this.#tables.projects.putSync([path], record)
        return record
      })
    })
  }

  schemaVersion(): Promise<number> {
    return later(() => {
      this.#ensureOpen()
      return this.#storedSchemaVersion() ?? SCHEMA_VERSION
    })
  }

  recordMigration(record: MigrationRecord): Promise<void> {
    return later(() => {
      this.#ensureOpen()
      this.#write(() => {
        this.#meta.putSync([MIGRATION_PREFIX, record.id], record)
      })
    })
  }

  listMigrations(): Promise<MigrationRecord[]> {
    return later(() => {
      this.#ensureOpen()
      const records = [...this.#meta.getRange(prefixRange([MIGRATION_PREFIX]))].map(({ value }) => value as MigrationRecord)
      return records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    })
  }

  /** Sizes, limits, readers and record counts, for health checks. */
  info(): LmdbStoreInfo {
    this.#ensureOpen()
    const stats = this.#root.getStats() as { pageSize: number; lastPageNumber: number; numReaders: number; maxReaders: number }
    const records = Object.fromEntries(COLLECTIONS.map((c) => [c, this.#table(c).getCount()])) as Record<CollectionName, number>
    return {
      path: this.path,
      dataFile: this.#dataFile,
      maxDatabaseSize: this.maxDatabaseSize,
      usedBytes: (stats.lastPageNumber + 1) * stats.pageSize,
      pageSize: stats.pageSize,
      readers: stats.numReaders,
      maxReaders: stats.maxReaders,
      schemaVersion: this.#storedSchemaVersion() ?? SCHEMA_VERSION,
      records,
    }
  }

  /** Flushes and releases the environment; later calls reject with STORE_CLOSED. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#root.close()
    if (this.#temporary !== undefined) rmSync(this.#temporary, { recursive: true, force: true })
  }

  #table<C extends CollectionName>(collection: C): Tables[C] {
    return this.#tables[collection]
  }

  #put(write: PlannedRecord): void {
    const table = this.#table(write.collection) as AnyDatabase
    if (write.collection === 'commits') {
      const previous = this.#tables.commits.get(toLmdbKey(write.key))
      if (previous !== undefined) this.#commitIndex.removeSync(commitIndexKey(previous))
      this.#commitIndex.putSync(commitIndexKey(write.record), true)
    }
    table.putSync(toLmdbKey(write.key), write.record)
  }

  /** Runs `body` in one synchronous write transaction; a throw rolls everything back. */
  #write<T>(body: () => T): T {
    try {
      return this.#root.transactionSync(body)
    } catch (error) {
      throw this.#translateWriteError(error)
    }
  }

  /**
   * lmdb-js grows its map on demand, so the size limit is enforced here, inside the write
   * transaction (the committed size then includes every other process's writes): a batch that
   * could push the file past the limit is refused and rolled back.
   */
  #ensureRoom(records: readonly unknown[]): void {
    const stats = this.#root.getStats() as { pageSize: number; lastPageNumber: number }
    const used = (stats.lastPageNumber + 1) * stats.pageSize
    const pages = records.length * 2 * stats.pageSize
    // Most batches are far from the limit: a coarse bound (records are rarely over 4 KiB) settles it.
    if (used + pages + records.length * 4096 <= this.maxDatabaseSize) return
    const estimate = records.reduce<number>((sum, record) => sum + JSON.stringify(record).length, pages)
    if (used + estimate > this.maxDatabaseSize) throw this.#fullError(used)
  }

  #fullError(used: number, cause?: unknown): LmdbStoreError {
    return new LmdbStoreError(
      'DATABASE_FULL',
      `The agent-tracker database ${this.path} reached its size limit: ${formatBytes(used)} used of maxDatabaseSize ${formatBytes(this.maxDatabaseSize)}. This batch was not written; everything already stored is intact. Raise maxDatabaseSize (up to 2 GiB) in the plugin options or with --max-size.`,
      { path: this.path, cause },
    )
  }

  #translateWriteError(error: unknown): unknown {
    if (isLmdbStoreError(error) || error instanceof TrackerError) return error
    const code = (error as { code?: unknown }).code
    if (code === MAP_FULL || (error as Error).message.includes('MDB_MAP_FULL')) return this.#fullError(this.maxDatabaseSize, error)
    if (this.#closed) return closedError()
    return new LmdbStoreError('DATABASE_UNWRITABLE', `Could not write to the agent-tracker database ${this.path}: ${(error as Error).message}. Nothing from this batch was written.`, { path: this.path, cause: error })
  }

  #checkSchemaVersion(readOnly: boolean): void {
    const stored = this.#storedSchemaVersion()
    if (stored !== undefined && stored > SCHEMA_VERSION) {
      throw new LmdbStoreError('DATABASE_TOO_NEW', `The agent-tracker database ${this.path} has schema version ${String(stored)}, newer than this release understands (${String(SCHEMA_VERSION)}). Upgrade agent-tracker.`, { path: this.path })
    }
    if (stored === undefined && !readOnly) {
      this.#write(() => {
        this.#meta.putSync(SCHEMA_VERSION_KEY, SCHEMA_VERSION)
      })
    }
  }

  #storedSchemaVersion(): number | undefined {
    const value = this.#meta.get(SCHEMA_VERSION_KEY)
    return typeof value === 'number' ? value : undefined
  }

  /** Records narrowed by the best key prefix the query allows; the caller filters and orders. */
  *#candidates<C extends CollectionName>(collection: C, query: RecordQuery): Iterable<CollectionRecords[C]> {
    const table = this.#table(collection)
    if (collection === 'commits' && query.setup !== undefined) {
      const range = { start: [query.setup, query.since ?? ''], end: query.until === undefined ? prefixRange([query.setup]).end : [query.setup, query.until] }
      for (const { key } of this.#commitIndex.getRange(range)) {
        const [, , project, hash] = key as [string, string, string, string]
        const commit = this.#tables.commits.get([project, hash])
        if (commit !== undefined) yield commit as CollectionRecords[C]
      }
      return
    }
    const prefix = prefixOf(collection, query)
    const range = prefix === undefined ? {} : prefixRange(prefix)
    for (const { value } of table.getRange(range)) yield value
  }

  /** Events keyed `[setup, at, id]`: one ordered range read, stopping at the limit. */
  #findEvents<C extends CollectionName>(collection: C, query: RecordQuery): CollectionRecords[C][] {
    const setup = query.setup ?? ''
    const low: Key = [setup, query.since ?? '']
    const high: Key = query.until === undefined ? prefixRange([setup]).end : [setup, query.until]
    const newest = query.order !== 'oldest'
    const range = newest ? { start: high, end: low, reverse: true } : { start: low, end: high }
    const found: CollectionRecords[C][] = []
    for (const { value } of this.#table(collection).getRange(range)) {
      if (query.limit !== undefined && found.length >= query.limit) break
      if (matchesQuery(collection, value, query)) found.push(value)
    }
    return found
  }

  #ensureOpen(): void {
    if (this.#closed) throw closedError()
  }
}

/** The key prefix that narrows a query on a collection, if any. */
function prefixOf(collection: CollectionName, query: RecordQuery): string[] | undefined {
  switch (collection) {
    case 'setups':
      return query.setup === undefined ? undefined : [query.setup]
    case 'projects':
    case 'commits':
      return query.project === undefined ? undefined : [query.project]
    case 'usage':
      if (query.setup === undefined) return undefined
      return query.project === undefined ? [query.setup] : [query.setup, query.project]
    default:
      return query.setup === undefined ? undefined : [query.setup]
  }
}

function ensureFolder(folder: string): void {
  try {
    mkdirSync(folder, { recursive: true })
  } catch (error) {
    throw new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot create the folder ${folder} for the agent-tracker database: ${(error as Error).message}. Choose a writable databasePath.`, { path: folder, cause: error })
  }
}

function translateOpenError(error: unknown, path: string): LmdbStoreError {
  const message = (error as Error).message
  const code = (error as NodeJS.ErrnoException).code
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || /permission denied|read-only file system/i.test(message)) {
    return new LmdbStoreError('DATABASE_UNWRITABLE', `Cannot open the agent-tracker database ${path}: ${message}. Check the permissions, or choose another databasePath.`, { path, cause: error })
  }
  return new LmdbStoreError('DATABASE_UNREADABLE', `Cannot open the agent-tracker database ${path}: ${message}.`, { path, cause: error })
}

function closedError(): TrackerError {
  return new TrackerError('STORE_CLOSED', 'The agent-tracker database is closed.')
}

/** Runs synchronous work on a later microtask, turning a throw into a rejection. */
function later<T>(work: () => T): Promise<T> {
  return Promise.resolve().then(work)
}
