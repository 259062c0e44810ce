import { randomUUID } from 'node:crypto'
import { rmSync } from 'node:fs'
import type {
  AppliedBatch,
  CollectionName,
  CollectionRecords,
  CommitRef,
  Fact,
  ImportResult,
  MigrationRecord,
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
  SyncTrackerStore,
} from '@agent-tracker/core'
import type { PlannedRecord } from '@agent-tracker/core/store'
import { COLLECTIONS, SCHEMA_VERSION, validateFact } from '@agent-tracker/core'
import { normaliseQuery, planFacts, planReattribution, planSetupImport, recordKey, recordSlot, withProfile } from '@agent-tracker/core/store'
import { createTransactionReader, putRecords } from './batch-writes.js'
import { DATABASE_ID_KEY, MIGRATION_PREFIX, prefixRange, toLmdbKey } from './layout.js'
import type { Environment } from './open-environment.js'
import { openEnvironment } from './open-environment.js'
import { findCommitRefs, findRecords, findSetupRecords } from './record-queries.js'
import { checkSchemaVersion, storedSchemaVersion } from './schema-version.js'
import { ensureRoom } from './size-limit.js'
import { closedError, translateWriteError } from './store-errors.js'

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
  readonly records: Readonly<Record<CollectionName, number>>
}

/** The LMDB implementation of the store port: one environment, named sub-databases. */
export class LmdbStore implements SyncTrackerStore {
  readonly rules: ScoringRules
  /** The resolved database path. */
  readonly path: string
  readonly maxDatabaseSize: number
  readonly #db: Environment
  readonly #temporary: string | undefined
  #closed = false

  /** Use `openLmdbStore`. */
  constructor(settings: { path: string; maxDatabaseSize: number; rules: ScoringRules; readOnly: boolean; temporary: string | undefined }) {
    this.path = settings.path
    this.maxDatabaseSize = settings.maxDatabaseSize
    this.rules = settings.rules
    this.#temporary = settings.temporary
    this.#db = openEnvironment(settings.path, settings.maxDatabaseSize, settings.readOnly)
    try {
      checkSchemaVersion(this.#db.meta, this.path, settings.readOnly, (body) => {
        this.#write(body)
      })
    } catch (error) {
      void this.#db.root.close()
      throw error
    }
  }

  applyFactsSync(facts: readonly Fact[]): AppliedBatch {
    this.#ensureOpen()
    const checked = facts.map((fact) => validateFact(fact))
    return this.#write(() => {
      // Each setup is re-read here, inside the write transaction: never a state computed earlier.
      const reader = createTransactionReader(this.#db)
      const plan = planFacts(reader, checked, this.rules)
      this.#ensureRoom(plan.writes)
      putRecords(this.#db, plan.writes, reader)
      return { deferred: false, applied: plan.applied, skipped: plan.skipped, recordsWritten: plan.writes.length }
    })
  }

  applyFacts(facts: readonly Fact[]): Promise<AppliedBatch> {
    return later(() => this.applyFactsSync(facts))
  }

  get<C extends CollectionName>(collection: C, key: RecordKey): Promise<CollectionRecords[C] | undefined> {
    return later(() => {
      this.#ensureOpen()
      return this.#db.tables[collection].get(toLmdbKey(key))
    })
  }

  find<C extends CollectionName>(collection: C, query: RecordQuery = {}): Promise<CollectionRecords[C][]> {
    return later(() => {
      this.#ensureOpen()
      return findRecords(this.#db, collection, normaliseQuery(collection, query))
    })
  }

  findCommitRefs(query: RecordQuery = {}): Promise<CommitRef[]> {
    return later(() => {
      this.#ensureOpen()
      return findCommitRefs(this.#db, normaliseQuery('commits', query))
    })
  }

  async *scan<C extends CollectionName>(collection: C): AsyncIterable<CollectionRecords[C]> {
    this.#ensureOpen()
    for (const { value } of this.#db.tables[collection].getRange({ snapshot: true })) {
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
            const slot = recordSlot(collection, key)
            if (seen.has(slot) || this.#db.tables[collection].doesExist(toLmdbKey(key))) {
              skipped += 1
            } else {
              seen.add(slot)
              fresh.push({ collection, key, record } as PlannedRecord)
            }
          }
        }
        this.#ensureRoom(fresh)
        putRecords(this.#db, fresh)
        return { written: fresh.length, skipped }
      })
    })
  }

  importSetups(source: string, setups: readonly SetupRecord[]): Promise<SetupImportResult> {
    return later(() => {
      this.#ensureOpen()
      return this.#write(() => {
        const own = `database:${this.#databaseId(true) ?? ''}`
        const plan = planSetupImport((id) => this.#db.tables.setups.get([id]), setups, source, this.rules, own)
        this.#ensureRoom(plan.puts.map((record) => ({ collection: 'setups', key: [record.id], record })))
        for (const record of plan.puts) this.#db.tables.setups.putSync([record.id], record)
        return plan.result
      })
    })
  }

  reattribute(move: Reattribution): Promise<ReattributeResult> {
    return later(() => {
      this.#ensureOpen()
      return this.#write(() => {
        const { records, fromHasOtherRecords } = findSetupRecords(this.#db, move.from, move.project)
        const plan = planReattribution(move, { records, fromHasOtherRecords, get: (collection, key) => this.#db.tables[collection].get(toLmdbKey(key)) }, this.rules)
        this.#ensureRoom(plan.puts)
        for (const { collection, key } of plan.deletes) this.#db.tables[collection].removeSync(toLmdbKey(key))
        putRecords(this.#db, plan.puts)
        return plan.result
      })
    })
  }

  saveProjectProfile(path: string, profile: ProjectProfile): Promise<ProjectRecord> {
    return later(() => {
      this.#ensureOpen()
      return this.#write(() => {
        const record = withProfile(this.#db.tables.projects.get([path]), path, profile)
        this.#ensureRoom([{ collection: 'projects', key: [path], record }])
        this.#db.tables.projects.putSync([path], record)
        return record
      })
    })
  }

  schemaVersion(): Promise<number> {
    return later(() => {
      this.#ensureOpen()
      return storedSchemaVersion(this.#db.meta, this.path) ?? SCHEMA_VERSION
    })
  }

  recordMigration(record: MigrationRecord): Promise<void> {
    return later(() => {
      this.#ensureOpen()
      this.#write(() => {
        ensureRoom(this.#db.root, this.maxDatabaseSize, this.path, [record])
        this.#db.meta.putSync([MIGRATION_PREFIX, record.id], record)
      })
    })
  }

  listMigrations(): Promise<MigrationRecord[]> {
    return later(() => {
      this.#ensureOpen()
      const records = [...this.#db.meta.getRange(prefixRange([MIGRATION_PREFIX]))].map(({ value }) => value as MigrationRecord)
      return records.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
    })
  }

  /** Sizes, limits, readers and record counts, for health checks. */
  info(): LmdbStoreInfo {
    this.#ensureOpen()
    const stats = this.#db.root.getStats() as { pageSize: number; lastPageNumber: number; numReaders: number; maxReaders: number }
    const records = Object.fromEntries(COLLECTIONS.map((c) => [c, this.#db.tables[c].getCount()])) as Record<CollectionName, number>
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
    }
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

  /** Runs `body` in one synchronous write transaction; a throw rolls everything back. */
  #write<T>(body: () => T): T {
    try {
      return this.#db.root.transactionSync(body)
    } catch (error) {
      throw translateWriteError(error, { path: this.path, maxDatabaseSize: this.maxDatabaseSize, closed: this.#closed })
    }
  }

  #ensureRoom(writes: readonly PlannedRecord[]): void {
    ensureRoom(this.#db.root, this.maxDatabaseSize, this.path, writes.map((write) => write.record))
  }

  #ensureOpen(): void {
    if (this.#closed) throw closedError()
  }
}

/** Runs synchronous work on a later microtask, turning a throw into a rejection. */
function later<T>(work: () => T): Promise<T> {
  return Promise.resolve().then(work)
}
