import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import type { Database, Key } from 'lmdb'
import type {
  AppliedBatch,
  CollectionName,
  CollectionRecords,
  CommitRef,
  Fact,
  FactLogQuery,
  ImportResult,
  LoggedFact,
  MigrationRecord,
  OutcomeDay,
  PagedRead,
  ProjectDayRecord,
  ProjectProfile,
  ProjectRecord,
  RecordBatch,
  RecordKey,
  RecordQuery,
  Reattribution,
  ReattributeResult,
  ScoringRules,
  SetupImportResult,
  SetupRecord,
  SetupTotalsRecord,
  SyncTrackerStore,
} from '@agent-tracker/core'
import type { PlannedRecord, SearchEntryVisitor, SearchedCollection } from '@agent-tracker/core/store'
import { COLLECTIONS, SCHEMA_VERSION, TrackerError, validateFact } from '@agent-tracker/core'
import { COUNTED_RECORDS, RollupRecount, attributedFact, checkFactLogQuery, normaliseQuery, planFacts, planImport, planReattribution, planSetupImport, recordEntry, withProfile } from '@agent-tracker/core/store'
import type { LoggedReattribution } from '@agent-tracker/core/store'
import { appendFactLog, createTransactionReader, deleteRecords, lastFactSeq, putRecords } from './batch-writes.js'
import { prepareBackupPlace } from './backup.js'
import { locateDataFile } from './data-file.js'
import { LmdbStoreError } from './errors.js'
import { everyLoggedFact, readFactLog } from './fact-log.js'
import { DATABASE_ID_KEY, MIGRATION_PREFIX, REATTRIBUTION_PREFIX, SEARCH_DATABASES, STRUCTURES_KEY, factIdKey, prefixRange, rememberLongParts, toLmdbKey } from './layout.js'
import type { Environment } from './open-environment.js'
import { openEnvironment, reloadStructures } from './open-environment.js'
import { findCommitRefs, findRecords, findSetupRecords, visitRecords } from './record-queries.js'
import { checkSchemaVersion, storedSchemaVersion } from './schema-version.js'
import { readProjectDays, rebuildProjectDays } from './project-days.js'
import { outcomeMonthWrites, readOutcomeDays, readableOutcomeDays, rebuildOutcomeDays } from './outcome-days.js'
import { readSetupTotals, rebuildSetupTotals } from './setup-totals.js'
import { SECONDARY_INDEXES } from './indexes.js'
import type { SearchBuildProgress, SearchIndexEntry } from './search-index.js'
import { SEARCHED_COLLECTIONS, buildSearchIndexes, continueSearchBuild, staleSearchEntries, isSearched, searchBuildProgress, searchEntries, searchEntrySize, searchIndexesInStep, searchWordsOutdated, startSearchBuild, visitSearchEntries } from './search-index.js'
import type { TreeWrites } from './size-limit.js'
import { encodedSizeBound, ensureRoom, ensureRoomByPages, factLogSizeBound, indexSizeBound } from './size-limit.js'
import { closedError, translateWriteError } from './store-errors.js'
import { countWrite, writesUnderWay } from './writes-under-way.js'
import type { WriteLockHolder } from './write-lock-holder.js'
import { writeLockHolder } from './write-lock-holder.js'

/** What {@link LmdbStore.repairRollups} found and wrote. */
export interface RollupRepair {
  /** Day rollups stored before the repair. */
  readonly rollups: number
  /** Logged facts replayed. */
  readonly facts: number
  /** Day rollups rewritten (or added) with the numbers that back them. */
  readonly rewritten: number
  /** Day rollups removed: nothing backed them. */
  readonly removed: number
  /** Whether the setup totals were rebuilt from the rollups. */
  readonly setupTotalsRebuilt: boolean
  /** Whether the project days were rebuilt from the rollups. */
  readonly projectDaysRebuilt: boolean
  /** Whether the outcome days were rebuilt from the rollups. */
  readonly outcomeDaysRebuilt: boolean
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
  /** The id another database names this one by when merging it (absent until first needed). */
  readonly databaseId: string | undefined
  /** Each collection's records by LMDB's own count (kept in each tree's record, not counted by a walk). */
  readonly records: Readonly<Record<CollectionName, number>>
  /**
   * The id of the newest write transaction committed to the file, by any process: the same before
   * and after a long read means nothing was written meanwhile, so that read should have met
   * exactly `records`.
   */
  readonly lastTransaction: number
}

/** How long a store that refuses writes while another process holds the lock (`whileLocked: 'refuse'`) looks again before refusing: another host's flush holds it for milliseconds. */
const BUSY_GRACE_MS = 250
/** How often {@link LmdbStore.writeLockHolderWithin} looks at the lock again. */
const LOCK_LOOK_EVERY_MS = 10

/** The LMDB implementation of the store port: one environment, named sub-databases. */
export class LmdbStore implements SyncTrackerStore {
  readonly rules: ScoringRules
  /** The resolved database path. */
  readonly path: string
  readonly maxDatabaseSize: number
  #db: Environment
  readonly #readOnly: boolean
  readonly #temporary: string | undefined
  /** Opened without the data file checks (see `LmdbStoreOptions.unchecked`). */
  readonly #unchecked: boolean
  /** Refuse an asynchronous write while another process holds the write lock (see `LmdbStoreOptions.whileLocked`). */
  readonly #refuseWhileLocked: boolean
  /** The lock file, once a write looked at who holds the lock. */
  #lockFile: string | undefined
  #closed = false
  /** Scans and fact-log reads under way: they hold the environment across awaits. */
  #streams = 0
  /** Resident memory when the file was last mapped (see {@link relieveMemory}). */
  #residentMark = 0

  /** Use `openLmdbStore`. */
  constructor(settings: { path: string; maxDatabaseSize: number; rules: ScoringRules; readOnly: boolean; temporary: string | undefined; unchecked?: boolean; whileLocked?: 'wait' | 'refuse' }) {
    this.path = settings.path
    this.maxDatabaseSize = settings.maxDatabaseSize
    this.rules = settings.rules
    this.#temporary = settings.temporary
    this.#readOnly = settings.readOnly
    this.#unchecked = settings.unchecked === true
    this.#refuseWhileLocked = settings.whileLocked === 'refuse'
    this.#db = openEnvironment(settings.path, settings.maxDatabaseSize, settings.readOnly, this.#unchecked)
    this.#residentMark = process.memoryUsage.rss()
    try {
      // Read-only, lmdb-js gives undefined for a sub-database that does not exist: a file killed while being created.
      if ((this.#db.meta as unknown) === undefined) {
        throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${this.path} holds no data yet: it was never fully created. It is set up on the first write.`, { path: this.path, reason: 'missing' })
      }
      this.#guardWrite(() => {
        checkSchemaVersion(this.#db.root, this.#db, this.path, settings.readOnly)
      })
    } catch (error) {
      void this.#db.root.close()
      throw error
    }
  }

  applyFactsSync(facts: readonly Fact[]): AppliedBatch {
    this.#ensureOpen()
    return this.#write(this.#applying(checkedFacts(facts)))
  }

  /**
   * {@link applyFactsSync} in a write transaction that waits for LMDB's write lock off the calling
   * thread (see {@link #writeOffThread}): while a writer of another process holds the lock, the
   * host's event loop keeps turning, and the promise settles once the batch is on disk.
   */
  applyFacts(facts: readonly Fact[]): Promise<AppliedBatch> {
    let checked: readonly Fact[]
    try {
      this.#ensureOpen()
      checked = checkedFacts(facts)
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
    return this.#writeOffThread(this.#applying(checked))
  }

  /** The body of a transaction that applies `checked` facts. */
  #applying(checked: readonly Fact[]): () => AppliedBatch {
    return () => {
      // Each setup is re-read here, inside the write transaction: never a state computed earlier.
      const reader = createTransactionReader(this.#db, checked)
      const plan = planFacts(reader, checked, this.rules)
      const entries = searchEntries(plan.writes)
      this.#ensureRoomFor(plan.writes, entries, plan.logged)
      deleteRecords(this.#db, plan.deletes)
      putRecords(this.#db, plan.writes, reader, false, entries)
      appendFactLog(this.#db, reader.firstClaimedSeq, plan.logged)
      return { deferred: false, applied: plan.applied, skipped: plan.skipped, recordsWritten: plan.writes.length }
    }
  }

  get<C extends CollectionName>(collection: C, key: RecordKey): Promise<CollectionRecords[C] | undefined> {
    return later(() => {
      this.#ensureOpen()
      return this.#db.tables[collection].get(toLmdbKey(key))
    })
  }

  find<C extends CollectionName>(collection: C, query: RecordQuery = {}): Promise<CollectionRecords[C][]> {
    return (isLarge(query) ? nextTurn : later)(() => {
      this.#ensureOpen()
      return findRecords(this.#db, collection, normaliseQuery(collection, query))
    })
  }

  /** Gives `visit` the records `find` returns, as they are read where it can (see {@link TrackerStore.visitRecords}). */
  visitRecords<C extends CollectionName>(collection: C, query: RecordQuery, visit: (record: CollectionRecords[C]) => void): Promise<void> {
    return (isLarge(query) ? nextTurn : later)(() => {
      this.#ensureOpen()
      visitRecords(this.#db, collection, normaliseQuery(collection, query), visit)
    })
  }

  /**
   * Gives `visit` a searched collection's search entries (see {@link TrackerStore.visitSearchEntries}),
   * from its search index; from its records when the indexes are not in step (see
   * {@link searchIndexes}) or absent (a database of schema 2 read as it is).
   */
  visitSearchEntries(collection: SearchedCollection, query: RecordQuery, visit: SearchEntryVisitor): Promise<void> {
    return (isLarge(query) ? nextTurn : later)(() => {
      this.#ensureOpen()
      if (!isSearched(collection)) throw new TrackerError('INVALID_QUERY', `Only ${SEARCHED_COLLECTIONS.join(', ')} have search entries, not ${String(collection)}.`)
      const table = this.#db.searchReads[collection]
      const window = normaliseQuery(collection, { ...(query.since === undefined ? {} : { since: query.since }), ...(query.until === undefined ? {} : { until: query.until }), ...(query.limit === undefined ? {} : { limit: query.limit }) })
      if (table !== undefined && searchIndexesInStep(this.#db)) {
        visitSearchEntries(table, SEARCH_DATABASES[collection], window, visit)
        return
      }
      for (const record of findRecords(this.#db, collection, window)) {
        const entry = recordEntry(collection, record)
        visit(entry, entry.digest)
      }
    })
  }

  /**
   * Whether the search indexes hold every record: `in step`; `building` (the upgrade of a database
   * of schema 2 started a build, or a writer's first step of one, that {@link continueSearchIndexBuild}
   * carries on); `outdated` (their words were cut as an earlier release cut them: the first step of
   * {@link continueSearchIndexBuild} starts that build); `behind` (a process of an earlier release
   * wrote after the upgrade: the first step of {@link continueSearchIndexBuild} starts a build again);
   * or `absent` (a database of schema 2, read as it is). Unless in step, searches read whole records,
   * until the build is done or {@link repairSearchIndexes} rebuilds them. A build ends only with a
   * pass during which no process of another release wrote (see `continueSearchBuild`).
   */
  searchIndexes(): 'in step' | 'building' | 'outdated' | 'behind' | 'absent' {
    this.#ensureOpen()
    if (SEARCHED_COLLECTIONS.some((collection) => this.#db.search[collection] === undefined)) return 'absent'
    if (searchIndexesInStep(this.#db)) return 'in step'
    if (searchBuildProgress(this.#db) !== undefined) return 'building'
    return searchWordsOutdated(this.#db) ? 'outdated' : 'behind'
  }

  /**
   * Whether {@link continueSearchIndexBuild} has work to do: the search indexes are `building`,
   * `outdated` or `behind` (see {@link searchIndexes}); its first step starts a build when none is under way.
   */
  searchIndexBuildPending(): boolean {
    const state = this.searchIndexes()
    return state === 'building' || state === 'outdated' || state === 'behind'
  }

  /** How far the search-index build under way has come; undefined when none is (see {@link searchIndexes}). */
  searchIndexBuild(): SearchBuildProgress | undefined {
    this.#ensureOpen()
    return searchBuildProgress(this.#db)
  }

  /**
   * Carries the search-index build under way on by up to `records` records, in one short write
   * transaction (about 10 ms for 500 records); hosts call it in the background until `done`.
   * Without a build under way it writes nothing and gives `done`.
   * @throws {LmdbStoreError} DATABASE_FULL when the entries would not fit in the size limit (nothing is written; the build stays where it was).
   */
  async continueSearchIndexBuild(records = SEARCH_BUILD_STEP): Promise<SearchBuildProgress> {
    const pending = await later(() => {
      this.#ensureOpen()
      return this.searchIndexBuildPending()
    })
    if (!pending) return { built: 0, total: 0, done: true }
    return this.#writeOffThread(() => {
      // Indexes of words an earlier release cut, or behind the records (a process of an earlier
      // release wrote since): the first step empties them and starts the build (another process may
      // have started it, or finished it, meanwhile: read again inside the transaction).
      if (searchBuildProgress(this.#db) === undefined && !searchIndexesInStep(this.#db)) startSearchBuild(this.#db)
      return continueSearchBuild(this.#db, records, (trees) => {
        ensureRoomByPages(this.#db.root, this.maxDatabaseSize, this.path, trees)
      })
    })
  }

  /**
   * Reads every searched record and its entry in the search indexes: the records whose entry is
   * missing or holds another digest than this release makes of it — words an earlier release cut
   * its way, written without a fact while a rebuild ran (a merge's or import's records), which no
   * mark shows. Gives how many, and the first `list` of them (collection and key). Reads everything.
   */
  searchEntriesOutOfStep(list = 5): Promise<{ readonly count: number; readonly first: readonly { readonly collection: SearchedCollection; readonly key: readonly string[] }[] }> {
    return later(() => {
      this.#ensureOpen()
      return staleSearchEntries(this.#db, list)
    })
  }

  /** Rebuilds the search indexes from the records in one write transaction (a build under way included); gives the entries written. */
  repairSearchIndexes(): Promise<number> {
    return later(() => {
      this.#ensureOpen()
      return this.#write(() => buildSearchIndexes(this.#db))
    })
  }

  findCommitRefs(query: RecordQuery = {}): Promise<CommitRef[]> {
    return (isLarge(query) ? nextTurn : later)(() => {
      this.#ensureOpen()
      return findCommitRefs(this.#db, normaliseQuery('commits', query))
    })
  }

  knownFactIds(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return later(() => {
      this.#ensureOpen()
      return new Set(ids.filter((id) => this.#db.factIds.doesExist(factIdKey(id))))
    })
  }

  async *readFactLog(query?: FactLogQuery): AsyncIterable<LoggedFact> {
    this.#ensureOpen()
    const { after, limit } = checkFactLogQuery(query)
    this.#streams += 1
    try {
      const moves = readReattributions(this.#db.meta)
      for await (const logged of readFactLog(this.#db, after, limit)) {
        yield moves.length === 0 ? logged : { seq: logged.seq, fact: attributedFact(logged.fact, logged.seq, moves) }
      }
    } finally {
      this.#streams -= 1
    }
  }

  lastFactSeq(): Promise<number> {
    return later(() => {
      this.#ensureOpen()
      return lastFactSeq(this.#db)
    })
  }

  async *scan<C extends CollectionName>(collection: C, read: PagedRead = {}): AsyncIterable<CollectionRecords[C]> {
    if (read.betweenPages !== undefined) {
      yield* this.#scanInPages(collection, read.pageSize ?? 1000, read.betweenPages)
      return
    }
    this.#ensureOpen()
    this.#streams += 1
    try {
      for (const { value } of this.#db.tables[collection].getRange({ snapshot: true })) {
        yield await Promise.resolve(value)
      }
    } finally {
      this.#streams -= 1
    }
  }

  /**
   * {@link scan} a page at a time: each page read whole and its read ended before its records are
   * given, so that `betweenPages` may map the file again (see {@link relieveMemory}) — a table whose
   * pages lie all over a large file maps far more than itself at one read: the kernel maps the
   * cached neighbours of every page touched (64 KB around each, on Linux), so the 3 MB of 10,000
   * day rollups took 44 MB of a 1.7 GB file.
   */
  async *#scanInPages<C extends CollectionName>(collection: C, pageSize: number, betweenPages: () => unknown): AsyncIterable<CollectionRecords[C]> {
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new RangeError(`A scan's page size must be a whole number of at least 1, got ${String(pageSize)}.`)
    let after: Key | undefined
    for (;;) {
      this.#ensureOpen()
      const page: { key: Key; value: CollectionRecords[C] }[] = []
      const table = this.#db.tables[collection] as Database<CollectionRecords[C]>
      for (const entry of table.getRange(after === undefined ? { limit: pageSize } : { start: after, limit: pageSize + 1 })) {
        // The page starts at the last key of the one before (`start` is inclusive).
        if (after !== undefined && page.length === 0 && sameKey(entry.key, after)) continue
        page.push(entry)
        if (page.length === pageSize) break
      }
      for (const { value } of page) yield value
      const last = page.at(-1)
      if (last === undefined || page.length < pageSize) return
      after = last.key
      await betweenPages()
    }
  }

  /**
   * Lets the pages a long read touched leave the process's resident memory: LMDB maps the file,
   * and every page read stays resident until it is unmapped. When the process grew by more than
   * `budgetBytes` since the file was mapped, it is unmapped and mapped again. For a long export,
   * between its reads; it does nothing while a scan or fact-log read is under way.
   * @returns true when the file was mapped again.
   */
  relieveMemory(budgetBytes = 24 * 1024 * 1024): boolean {
    if (this.#closed || this.#streams > 0) return false
    if (process.memoryUsage.rss() - this.#residentMark <= budgetBytes) return false
    // lmdb-js closes an environment without pending asynchronous writes at once.
    void this.#db.root.close()
    this.#db = openEnvironment(this.path, this.maxDatabaseSize, this.#readOnly, this.#unchecked)
    this.#residentMark = process.memoryUsage.rss()
    return true
  }

  importRecords(batch: RecordBatch): Promise<ImportResult> {
    return this.#writeOffThread(() => {
      const reader = createTransactionReader(this.#db)
      const plan = planImport(reader, batch)
      const entries = searchEntries(plan.writes)
      this.#ensureRoomFor(plan.writes, entries, [])
      // Imported records are new keys (planning skipped the rest); only rollups it read are not.
      putRecords(this.#db, plan.writes, reader, true, entries)
      return { written: plan.written, skipped: plan.skipped }
    })
  }

  importSetups(source: string, setups: readonly SetupRecord[]): Promise<SetupImportResult> {
    return this.#writeOffThread(() => {
      const own = `database:${this.#databaseId(true) ?? ''}`
      const plan = planSetupImport((id) => this.#db.tables.setups.get(toLmdbKey([id])), setups, source, this.rules, own)
      const writes = plan.puts.map((record): PlannedRecord => ({ collection: 'setups', key: [record.id], record }))
      const entries = searchEntries(writes)
      this.#ensureRoom(writes, entries)
      putRecords(this.#db, writes, undefined, false, entries)
      return plan.result
    })
  }

  /**
   * Writes setup records as they are given, in place of the stored ones: for a merge whose source
   * holds the whole history of a setup here (every fact and every imported part of it), and
   * replayed it in its own order, which a sum of parts cannot reproduce (see `mergeDatabase`). The
   * caller checks the records (`validateRecord`); nothing else is changed. Gives the records written.
   */
  replaceSetups(setups: readonly SetupRecord[]): Promise<number> {
    return this.#writeOffThread(() => {
      const writes = setups.map((record): PlannedRecord => ({ collection: 'setups', key: [record.id], record }))
      const entries = searchEntries(writes)
      this.#ensureRoom(writes, entries)
      putRecords(this.#db, writes, undefined, false, entries)
      return writes.length
    })
  }

  reattribute(move: Reattribution): Promise<ReattributeResult> {
    return later(() => {
      this.#ensureOpen()
      return this.#write(() => {
        const { records, fromHasOtherRecords } = findSetupRecords(this.#db, move.from, move.project)
        const plan = planReattribution(move, { records, fromHasOtherRecords, get: (collection, key) => this.#db.tables[collection].get(toLmdbKey(key)) }, this.rules)
        const entries = searchEntries(plan.puts)
        this.#ensureRoom(plan.puts, entries)
        deleteRecords(this.#db, plan.deletes)
        putRecords(this.#db, plan.puts, undefined, false, entries)
        // Facts logged so far under `from` in the project are read as `to`'s from now on.
        const throughSeq = lastFactSeq(this.#db)
        if (throughSeq > 0) {
          const made = readReattributions(this.#db.meta).length
          this.#db.meta.putSync([REATTRIBUTION_PREFIX, made + 1], { from: move.from, to: move.to, project: move.project, throughSeq } satisfies LoggedReattribution)
        }
        return plan.result
      })
    })
  }

  /**
   * Recounts every day rollup from what backs it (as `checkRollups` does) and rewrites those that
   * drifted, removes those nothing backs, and rebuilds the setup totals where they no longer add
   * up the rollups — all in one write transaction, so no write of another process falls between
   * the recount and the repair. Writers of other processes wait meanwhile (seconds on millions of
   * facts). A repair of an exact database writes nothing.
   */
  repairRollups(): Promise<RollupRepair> {
    return later(() => {
      this.#ensureOpen()
      return this.#write(() => {
        const recount = new RollupRecount()
        for (const { value } of this.#db.tables.usage.getRange()) recount.addStored(value)
        for (const collection of COUNTED_RECORDS) {
          for (const { value } of this.#db.tables[collection].getRange()) recount.addRecord(collection, value)
        }
        const moves = readReattributions(this.#db.meta)
        for (const logged of everyLoggedFact(this.#db)) recount.addFact(moves.length === 0 ? logged.fact : attributedFact(logged.fact, logged.seq, moves))
        const totals = readSetupTotals(this.#db)
        const days = readProjectDays(this.#db)
        // Outcome days that cannot be read are written again all the same.
        const outcomes = readableOutcomeDays(this.#db)
        // A setup's totals are keyed by the setup alone, a project's day by project and day, an outcome day's fields begin with `outcome`.
        const aside = recount.drift({ totals, projectDays: days, outcomeDays: outcomes === 'damaged' ? undefined : outcomes })
        const totalsDrifted = aside.some((drift) => drift.key.length === 1)
        const daysDrifted = aside.some((drift) => drift.key.length === 2)
        const outcomesDrifted = outcomes === 'damaged' || aside.some((drift) => drift.field.startsWith('outcome'))
        const { put, remove } = recount.corrections()
        const puts = put.map((record): PlannedRecord => ({ collection: 'usage', key: [record.setup, record.project, record.day], record }))
        const entries = searchEntries(puts)
        this.#ensureRoom(puts, entries)
        deleteRecords(this.#db, remove.map((record) => ({ collection: 'usage', key: [record.setup, record.project, record.day] })))
        putRecords(this.#db, puts, undefined, false, entries)
        // Totals and days kept in step with the rewrites above stay off by what they were off before.
        if (totalsDrifted) rebuildSetupTotals(this.#db)
        if (daysDrifted) rebuildProjectDays(this.#db)
        if (outcomesDrifted) rebuildOutcomeDays(this.#db)
        return { rollups: recount.rollups, facts: recount.facts, rewritten: put.length, removed: remove.length, setupTotalsRebuilt: totalsDrifted, projectDaysRebuilt: daysDrifted, outcomeDaysRebuilt: outcomesDrifted }
      })
    })
  }

  saveProjectProfile(path: string, profile: ProjectProfile): Promise<ProjectRecord> {
    return this.#writeOffThread(() => {
      const record = withProfile(this.#db.tables.projects.get(toLmdbKey([path])), path, profile)
      const writes: PlannedRecord[] = [{ collection: 'projects', key: [path], record }]
      this.#ensureRoom(writes, searchEntries(writes))
      rememberLongParts(this.#db.meta, [path])
      this.#db.tables.projects.putSync(toLmdbKey([path]), record)
      return record
    })
  }

  setupTotals(): Promise<SetupTotalsRecord[] | undefined> {
    return later(() => {
      this.#ensureOpen()
      return readSetupTotals(this.#db)
    })
  }

  projectDays(project?: string): Promise<ProjectDayRecord[] | undefined> {
    return later(() => {
      this.#ensureOpen()
      return readProjectDays(this.#db, project)
    })
  }

  outcomeDays(projects?: readonly string[]): Promise<OutcomeDay[] | undefined> {
    return later(() => {
      this.#ensureOpen()
      return readOutcomeDays(this.#db, projects)
    })
  }

  schemaVersion(): Promise<number> {
    return later(() => {
      this.#ensureOpen()
      return storedSchemaVersion(this.#db.meta, this.path) ?? SCHEMA_VERSION
    })
  }

  recordMigration(record: MigrationRecord): Promise<void> {
    return this.#writeOffThread(() => {
      ensureRoom(this.#db.root, this.maxDatabaseSize, this.path, [record])
      this.#db.meta.putSync([MIGRATION_PREFIX, record.id], record)
    })
  }

  listMigrations(): Promise<MigrationRecord[]> {
    return later(() => {
      this.#ensureOpen()
      const records = [...this.#db.meta.getRange(prefixRange([MIGRATION_PREFIX]))].map(({ value }) => value as MigrationRecord)
      return records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    })
  }

  /** This database's own id (see {@link LmdbStoreInfo.databaseId}), read from its meta alone. */
  get databaseId(): string | undefined {
    this.#ensureOpen()
    return this.#databaseId(false)
  }

  /** Sizes, limits, readers and record counts, for health checks. */
  info(): LmdbStoreInfo {
    this.#ensureOpen()
    const stats = this.#db.root.getStats() as { pageSize: number; lastPageNumber: number; numReaders: number; maxReaders: number; lastTxnId: number }
    // The page statistics count entries without visiting them; the shared structures are one entry more.
    const records = Object.fromEntries(COLLECTIONS.map((c) => {
      const table = this.#db.tables[c]
      const entries = (table.getStats() as { entryCount: number }).entryCount
      return [c, table.doesExist(STRUCTURES_KEY) ? entries - 1 : entries]
    })) as Record<CollectionName, number>
    return {
      path: this.path,
      dataFile: this.#db.dataFile,
      maxDatabaseSize: this.maxDatabaseSize,
      usedBytes: (stats.lastPageNumber + 1) * stats.pageSize,
      pageSize: stats.pageSize,
      readers: stats.numReaders,
      maxReaders: stats.maxReaders,
      schemaVersion: storedSchemaVersion(this.#db.meta, this.path) ?? SCHEMA_VERSION,
      databaseId: this.#databaseId(false),
      records,
      lastTransaction: stats.lastTxnId,
    }
  }

  /**
   * Writes a compact copy of the database as it is now to `to` (a file, or a folder holding
   * `data.mdb` when this database is a folder): a consistent snapshot even while other processes
   * write, for an undo point or a dry run.
   * @throws {LmdbStoreError} DATABASE_UNWRITABLE when `to` exists or cannot be written.
   */
  async backup(to: string): Promise<void> {
    this.#ensureOpen()
    const { noSubdir } = locateDataFile(this.path)
    prepareBackupPlace(to, noSubdir)
    try {
      await this.#db.root.backup(to, true)
    } catch (error) {
      throw new LmdbStoreError('DATABASE_UNWRITABLE', `Could not back up ${this.path} to ${to}: ${(error as Error).message}.`, { path: to, reason: 'write' }, { cause: error })
    }
  }

  /**
   * Whether an asynchronous write of this process is under way on lmdb-js's writer thread (of any
   * store: see `writesUnderWay`), which may be waiting for another process's write lock: a
   * synchronous write now would wait for that lock on the calling thread.
   */
  asyncWriteUnderWay(): boolean {
    return writesUnderWay().count > 0
  }

  /** Who holds this database's write lock now, without taking it or waiting (see `writeLockHolder`). */
  writeLockHolder(): WriteLockHolder {
    return writeLockHolder((this.#lockFile ??= locateDataFile(this.path).lockFile))
  }

  /**
   * {@link writeLockHolder}, looked at again every {@link LOCK_LOOK_EVERY_MS} for up to `ms` while
   * another process holds the lock: another host's flush holds it for milliseconds, a merge or a
   * command stopped with Ctrl-Z for as long as it likes. What the last look saw.
   */
  async writeLockHolderWithin(ms: number): Promise<WriteLockHolder> {
    const until = Date.now() + ms
    let holder = this.writeLockHolder()
    while (holder.state === 'held' && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, LOCK_LOOK_EVERY_MS))
      holder = this.writeLockHolder()
    }
    return holder
  }

  /** Flushes and releases the environment; later calls reject with STORE_CLOSED. */
  async close(): Promise<void> {
    if (this.#closed) return
    this.#closed = true
    await this.#db.root.close()
    if (this.#temporary !== undefined) rmSync(this.#temporary, { recursive: true, force: true })
  }

  /**
   * This database's id, created on first need when `create` (inside a write transaction); another
   * database that merges this one names it by the id, so its scores never come back twice.
   */
  #databaseId(create: boolean): string | undefined {
    const stored = this.#db.meta.get(DATABASE_ID_KEY)
    if (typeof stored === 'string' || !create) return typeof stored === 'string' ? stored : undefined
    const id = randomUUID()
    this.#db.meta.putSync(DATABASE_ID_KEY, id)
    return id
  }

  /**
   * Runs `body` in one write transaction whose lock is waited for off the calling thread: lmdb-js's
   * writer thread takes LMDB's write lock (however long another process holds it), then `body`
   * runs here as a child transaction of its batch — a throw rolls back everything `body` wrote —
   * and the writer thread commits; the promise settles once the commit is on disk. Only the
   * waiting leaves the thread: `body` itself is the same synchronous work as in {@link #write}.
   */
  async #writeOffThread<T>(body: () => T): Promise<T> {
    this.#ensureOpen()
    if (this.#refuseWhileLocked) {
      // A write queued now would wait for that process for as long as it likes, and could not be
      // called off. Another host's flush holds the lock for milliseconds: looked at again a while.
      const holder = await this.writeLockHolderWithin(BUSY_GRACE_MS)
      this.#ensureOpen()
      if (holder.state === 'held') throw new LmdbStoreError('DATABASE_BUSY', `Another process (${String(holder.pid)}) is writing to the agent-tracker database ${this.path}: nothing was written, so that this process need not wait for it; try again once it is done.`, { path: this.path, pid: holder.pid })
    }
    try {
      // Counted while under way: the process must not be made to exit meanwhile (see `writesUnderWay`).
      return await countWrite((began) =>
        this.#db.root.childTransaction(() => {
          began()
          return this.#guardWrite(body)
        }),
      )
    } catch (error) {
      // Taken at once: lmdb-js rejects its own promise of the cause too, which unhandled ends the process.
      const cause = commitFailure(error)
      // A commit that failed after `body` ran (the disk) rolled its shared structures back too.
      reloadStructures(this.#db)
      throw translateWriteError(await cause, { path: this.path, maxDatabaseSize: this.maxDatabaseSize, closed: this.#closed })
    }
  }

  /** Runs `body` in one synchronous write transaction; a throw rolls everything back. */
  #write<T>(body: () => T): T {
    try {
      return this.#guardWrite(() => this.#db.root.transactionSync(body))
    } catch (error) {
      throw translateWriteError(error, { path: this.path, maxDatabaseSize: this.maxDatabaseSize, closed: this.#closed })
    }
  }

  /** Runs a write; when it fails, shared structures it added in memory are dropped (the database rolled them back). */
  #guardWrite<T>(write: () => T): T {
    try {
      return write()
    } catch (error) {
      reloadStructures(this.#db)
      throw error
    }
  }

  /**
   * Refuses a batch that would not fit, by the pages it would really dirty and add (see
   * `ensureRoomByPages`); `entries` are the records' search entries (see `searchEntries`). The
   * records are added up by collection, in the order collections first come: every tree a record
   * writes (its table, its collection's indexes and search index, the setup totals for a rollup)
   * follows from its collection, so no tree is looked up per record.
   */
  #ensureRoomFor(writes: readonly PlannedRecord[], entries: readonly (SearchIndexEntry | undefined)[], logged: readonly Fact[]): void {
    const collections = new Map<CollectionName, CollectionWrites>()
    const rollupKeys: RecordKey[] = []
    for (let index = 0; index < writes.length; index++) {
      const write = writes[index]
      if (write === undefined) continue
      let keyBytes = 16
      for (const part of write.key) keyBytes += 3 * part.length
      let sizes = collections.get(write.collection)
      if (sizes === undefined) {
        sizes = { records: 0, bytes: 0, indexBytes: 0, searchBytes: 0 }
        collections.set(write.collection, sizes)
      }
      sizes.records += 1
      if (write.collection === 'usage') rollupKeys.push(write.key)
      sizes.bytes += keyBytes + encodedSizeBound(write.record)
      sizes.indexBytes += 2 * keyBytes
      const entry = entries[index]
      if (entry !== undefined) sizes.searchBytes += searchEntrySize(entry)
    }
    const trees: TreeWrites[] = []
    for (const [collection, sizes] of collections) {
      const { records, bytes } = sizes
      trees.push({ tree: this.#db.tables[collection], entries: records, bytes })
      for (const index of SECONDARY_INDEXES[collection]) trees.push({ tree: this.#db.indexes[index.name], entries: records, bytes: sizes.indexBytes })
      const search = isSearched(collection) ? this.#db.search[collection] : undefined
      if (search !== undefined) trees.push({ tree: search, entries: records, bytes: sizes.searchBytes })
      // A rollup moves its setup's totals, a record of about its size.
      if (collection === 'usage' && this.#db.setupTotals !== undefined) trees.push({ tree: this.#db.setupTotals, entries: records, bytes })
      // And its project's day: a key of about the rollup's, and three numbers.
      if (collection === 'usage' && this.#db.projectDays !== undefined) trees.push({ tree: this.#db.projectDays, entries: records, bytes: sizes.indexBytes + 16 * records })
      // And its project's month of outcome days, rewritten whole.
      if (collection === 'usage' && this.#db.outcomeDays !== undefined) trees.push({ tree: this.#db.outcomeDays, ...outcomeMonthWrites(this.#db, rollupKeys) })
    }
    if (logged.length > 0) {
      let idBytes = 0
      // By index: thousands of facts, and no callback per fact.
      // eslint-disable-next-line @typescript-eslint/prefer-for-of
      for (let index = 0; index < logged.length; index++) idBytes += 3 * Math.min(logged[index]?.id.length ?? 0, 80) + 24
      trees.push({ tree: this.#db.factLog, entries: 1, bytes: factLogSizeBound(logged) }, { tree: this.#db.factIds, entries: logged.length, bytes: idBytes }, { tree: this.#db.meta, entries: 1, bytes: 32 })
    }
    // Free pages are not counted as room: a reader anywhere (lmdb-js keeps one per process) can pin them.
    ensureRoomByPages(this.#db.root, this.maxDatabaseSize, this.path, trees)
  }

  /** Refuses records that would not fit (see `ensureRoom`); `entries` are their search entries (see `searchEntries`). */
  #ensureRoom(writes: readonly PlannedRecord[], entries: readonly (SearchIndexEntry | undefined)[]): void {
    ensureRoom(this.#db.root, this.maxDatabaseSize, this.path, writes.map((write) => write.record), indexSizeBound(writes, entries))
  }

  #ensureOpen(): void {
    if (this.#closed) throw closedError()
  }
}

/** What a batch writes of one collection, added up (see `LmdbStore.#ensureRoomFor`). */
interface CollectionWrites {
  records: number
  /** Upper bounds: of the records with their keys, of one index entry each, of their search entries. */
  bytes: number
  indexBytes: number
  searchBytes: number
}

/** Whether two of LMDB's keys (as lmdb-js gives them) are the same. */
function sameKey(a: Key, b: Key): boolean {
  if (!Array.isArray(a) || !Array.isArray(b)) return a === b
  return a.length === b.length && a.every((part, index) => part === b[index])
}

/** The reattributions made, in order (see `LoggedReattribution`). */
function readReattributions(meta: Environment['meta']): LoggedReattribution[] {
  return [...meta.getRange(prefixRange([REATTRIBUTION_PREFIX]))].map(({ value }) => value as LoggedReattribution)
}

/**
 * Every fact checked (see `validateFact`), as the array given when each was checked before — a
 * write buffer's facts were, at its door — so a flush copies nothing; else a new array of the
 * checked facts.
 * @throws {TrackerError} INVALID_FACT for the first fact that is not valid.
 */
function checkedFacts(facts: readonly Fact[]): readonly Fact[] {
  let copy: Fact[] | undefined
  for (let index = 0; index < facts.length; index++) {
    const given = facts[index]
    const fact = validateFact(given)
    if (copy !== undefined) copy.push(fact)
    else if (fact !== given) copy = [...facts.slice(0, index), fact]
  }
  return copy ?? facts
}

/** Runs synchronous work on a later microtask, turning a throw into a rejection. */
function later<T>(work: () => T): Promise<T> {
  return Promise.resolve().then(work)
}

/** Records a step of a search-index build gives their entries by default: about 10 ms of a host's time. */
const SEARCH_BUILD_STEP = 500

/** Reads without a limit, or with a large one, above which a read waits for the host's next event-loop turn. */
const LARGE_READ = 500

function isLarge(query: RecordQuery): boolean {
  return query.limit === undefined || query.limit > LARGE_READ
}

/**
 * Runs synchronous work on the event loop's next turn: a host (OpenCode) gets its turn between
 * the large reads one question makes, instead of waiting for all of them at once.
 */
function nextTurn<T>(work: () => T): Promise<T> {
  return new Promise<void>((resolve) => {
    setImmediate(resolve)
  }).then(work)
}

/** How long a failed commit's cause is waited for (lmdb-js gives it as its writer thread says it). */
const COMMIT_CAUSE_WAIT_MS = 1000

/**
 * Why a commit failed. lmdb-js rejects a write whose commit failed (a full or failing disk) with
 * "Commit failed (see commitError for details)", and the cause in a promise of its own
 * (`commitError`) that rejects once its writer thread has said why: that promise is taken here, at
 * once, for the cause — left alone, its rejection would end the process as unhandled, printing
 * lmdb-js's source. Any other error is its own cause.
 */
function commitFailure(error: unknown): Promise<unknown> {
  const detail = (error as { commitError?: unknown } | null | undefined)?.commitError
  if (!(detail instanceof Promise)) return Promise.resolve(error)
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      resolve(error)
    }, COMMIT_CAUSE_WAIT_MS)
    timer.unref()
    detail.then(
      () => {
        clearTimeout(timer)
        resolve(error)
      },
      (cause: unknown) => {
        clearTimeout(timer)
        resolve(cause ?? error)
      },
    )
  })
}
