import type {
  CollectionName,
  CollectionRecords,
  CommitRef,
  DeferredBatch,
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
  Reattribution,
  ReattributeResult,
  RecordBatch,
  RecordKey,
  RecordQuery,
  ScoringRules,
  SetupImportResult,
  SetupRecord,
  SetupTotalsRecord,
  TrackerStore,
} from '@agent-tracker/core'
import { TrackerError, validateFact } from '@agent-tracker/core'
import type { SearchEntryVisitor, SearchedCollection } from '@agent-tracker/core/store'
import { checkFactLogQuery, normaliseQuery, recordSlot, searchEntryList, toCommitRef } from '@agent-tracker/core/store'
import type { FlushResult, WriteBufferStats } from './flush-result.js'
import { WriteBufferError } from './errors.js'
import { settlesWithin } from './within-time.js'
import { FlushRunner } from './flush-runner.js'
import type { WriteBufferOptions } from './options.js'
import { resolveWriteBufferOptions } from './options.js'
import { mergeFound, mergeInKeyOrder, plannedIn, widenLimit } from './overlay-merge.js'
import { PendingOverlay } from './pending-overlay.js'
import { PendingQueue } from './pending-queue.js'
import { EMPTY_VIEW, planOnto } from './plan-pending.js'
import type { ReadScope } from './read-scope.js'
import { factsInScope, narrowScope, scopeOfKey } from './read-scope.js'
import { mergeSearchEntries, replacedTimes } from './search-merge.js'

/** How a store gives a searched collection's search entries (see `TrackerStore.visitSearchEntries`). */
type SearchEntryReader = (collection: SearchedCollection, query: RecordQuery, visit: SearchEntryVisitor) => Promise<void>

/**
 * A store decorator: facts go to memory (no I/O), reads see stored records plus pending facts,
 * and `flush()` hands everything pending to the wrapped store as one atomic batch.
 */
export class WriteBuffer implements TrackerStore {
  readonly rules: ScoringRules
  /**
   * Search entries as the wrapped store keeps them (a few bytes a record, no record read), with
   * pending records laid over them; there only when the wrapped store keeps them, so that a search
   * over any other still reads records a page at a time through {@link find}.
   */
  readonly visitSearchEntries?: SearchEntryReader
  /**
   * The wrapped store's setup totals, project days and outcome days (kept beside its day rollups),
   * there only when it keeps them. Pending facts that change a day rollup would move them; until a
   * flush stores those, these answer undefined and a report, project list or recommendation reads
   * the rollups as this buffer gives them (stored, with the pending ones laid over).
   */
  readonly setupTotals?: () => Promise<SetupTotalsRecord[] | undefined>
  readonly projectDays?: (project?: string) => Promise<ProjectDayRecord[] | undefined>
  readonly outcomeDays?: (projects?: readonly string[]) => Promise<OutcomeDay[] | undefined>
  readonly #inner: TrackerStore
  readonly #queue = new PendingQueue()
  readonly #flusher: FlushRunner
  readonly #overlay: PendingOverlay
  /** The store's last fact sequence number when the overlay's remembered stored ids were last known good, during a write. */
  #overlaySeq: number | undefined
  #closed = false

  constructor(inner: TrackerStore, options: WriteBufferOptions = {}) {
    this.#inner = inner
    this.rules = inner.rules
    this.#flusher = new FlushRunner(inner, this.#queue, resolveWriteBufferOptions(options))
    this.#overlay = new PendingOverlay(inner, inner.rules, this.#queue)
    const stored = inner.visitSearchEntries?.bind(inner)
    if (stored !== undefined) this.visitSearchEntries = (collection, query, visit) => this.#searchEntries(stored, collection, query, visit)
    const totals = inner.setupTotals?.bind(inner)
    if (totals !== undefined) this.setupTotals = () => this.#keptBesideRollups({}, totals)
    const days = inner.projectDays?.bind(inner)
    if (days !== undefined) this.projectDays = (project) => this.#keptBesideRollups(project === undefined ? {} : { project }, () => days(project))
    const outcomes = inner.outcomeDays?.bind(inner)
    if (outcomes !== undefined) this.outcomeDays = (projects) => this.#keptBesideRollups({}, () => outcomes(projects), projects)
  }

  /** Facts waiting for the next flush. */
  get pendingCount(): number {
    return this.#queue.length
  }

  /** The facts waiting for the next flush, oldest first (a copy): what a host keeps elsewhere when it cannot wait for the write. */
  get pendingFacts(): readonly Fact[] {
    return [...this.#queue.facts]
  }

  /** Counters: pending facts, flushes, facts and entries written, the last error. */
  get stats(): WriteBufferStats {
    return this.#flusher.stats
  }

  /**
   * Validates the facts and keeps them in memory; no I/O. All or none are accepted.
   * @throws {TrackerError} INVALID_FACT (nothing accepted) or STORE_CLOSED.
   */
  applyFacts(facts: readonly Fact[]): Promise<DeferredBatch> {
    try {
      return Promise.resolve(this.append(facts))
    } catch (error) {
      return Promise.reject(asError(error))
    }
  }

  /** {@link applyFacts} without the promise, for hot paths. */
  append(facts: readonly Fact[]): DeferredBatch {
    this.#ensureOpen()
    const checked = facts.map((fact) => validateFact(fact))
    this.#queue.push(checked)
    this.#flusher.checkValve()
    return { deferred: true, accepted: checked.length }
  }

  /**
   * Applies everything pending as one batch. Concurrent calls queue up; a fact is never applied
   * twice. On failure every fact stays pending and the error is reported, never thrown.
   */
  flush(): Promise<FlushResult> {
    return this.#flusher.flush()
  }

  /**
   * Applies everything pending synchronously, for process-exit paths. Never throws.
   * Reports SYNC_FLUSH_UNSUPPORTED when the wrapped store cannot write synchronously.
   */
  flushSync(): FlushResult {
    return this.#flusher.flushSync()
  }

  get<C extends CollectionName>(collection: C, key: RecordKey): Promise<CollectionRecords[C] | undefined> {
    return this.#consistentRead(async () => {
      const planned = (await this.#overlay.writesFor(narrowScope(collection, scopeOfKey(collection, key)))).get(recordSlot(collection, key))
      return planned === undefined ? this.#inner.get(collection, key) : (planned.record as CollectionRecords[C])
    })
  }

  find<C extends CollectionName>(collection: C, query: RecordQuery = {}): Promise<CollectionRecords[C][]> {
    return this.#consistentRead(async () => {
      const normal = normaliseQuery(collection, query)
      const overlay = plannedIn(collection, (await this.#overlay.writesFor(narrowScope(collection, normal))).values())
      if (overlay.length === 0) return this.#inner.find(collection, normal)
      return mergeFound(collection, await this.#inner.find(collection, widenLimit(normal, overlay)), overlay, normal)
    })
  }

  /** Commit references: from the wrapped store (its index) when no commit in scope is pending, else as {@link find} sees them. */
  findCommitRefs(query: RecordQuery = {}): Promise<CommitRef[]> {
    return this.#consistentRead(async () => {
      const normal = normaliseQuery('commits', query)
      const pending = plannedIn('commits', (await this.#overlay.writesFor(narrowScope('commits', normal))).values())
      if (pending.length === 0) return this.#inner.findCommitRefs(normal)
      return mergeFound('commits', await this.#inner.find('commits', widenLimit(normal, pending)), pending, normal).map(toCommitRef)
    })
  }

  /**
   * Gives `visit` a searched collection's search entries: the wrapped store's as they are when no
   * pending fact changes a record of the collection (the usual case: most facts are tool calls and
   * usage), else with the records the pending facts would put laid over them (see
   * {@link mergeSearchEntries}; the stored entries' digests are then copied to be merged). Like the
   * wrapped store, it takes the query's window and limit only, so every pending fact counts.
   */
  #searchEntries(stored: SearchEntryReader, collection: SearchedCollection, query: RecordQuery, visit: SearchEntryVisitor): Promise<void> {
    return this.#consistentRead(async () => {
      const { since, until, limit } = query
      const window = normaliseQuery(collection, { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), ...(limit === undefined ? {} : { limit }) })
      const overlay = plannedIn(collection, (await this.#overlay.writesFor(narrowScope(collection, {}))).values())
      if (overlay.length === 0) return stored(collection, window, visit)
      const replaced = await replacedTimes(this.#inner, collection, overlay)
      const storedEntries = await searchEntryList({ visitSearchEntries: stored }, collection, widenLimit(window, overlay))
      for (const entry of mergeSearchEntries(collection, storedEntries, overlay, replaced, window)) visit(entry, entry.digest)
    })
  }

  /**
   * What the wrapped store keeps beside its day rollups in `scope` (all of them, or one project's),
   * or of the `projects` given: undefined while a pending fact changes a day rollup there. (A
   * scope's plan holds every pending commit, of any project: only the rollups of the scope's own
   * project count.)
   */
  #keptBesideRollups<T>(scope: ReadScope, read: () => Promise<T | undefined>, projects?: readonly string[]): Promise<T | undefined> {
    return this.#consistentRead(async () => {
      const changed = plannedIn('usage', (await this.#overlay.writesFor(narrowScope('usage', scope))).values())
      const within = projects === undefined ? undefined : new Set(projects)
      if (changed.some(({ key }) => (scope.project === undefined || key[1] === scope.project) && (within === undefined || within.has(key[1] ?? '')))) return undefined
      return read()
    })
  }

  /** The ids the wrapped store has taken, and those of pending facts (which a flush will take). */
  knownFactIds(ids: readonly string[]): Promise<ReadonlySet<string>> {
    return this.#guard(async () => {
      const stored = await this.#inner.knownFactIds(ids)
      return new Set(ids.filter((id) => stored.has(id) || this.#queue.hasId(id)))
    })
  }

  /** The fact log: what is pending is flushed first, so the log holds every fact taken so far. */
  async *readFactLog(query?: FactLogQuery): AsyncIterable<LoggedFact> {
    this.#ensureOpen()
    checkFactLogQuery(query)
    await this.flush()
    yield* this.#inner.readFactLog(query)
  }

  /** The newest sequence number, once what is pending is flushed. */
  async lastFactSeq(): Promise<number> {
    this.#ensureOpen()
    await this.flush()
    return this.#inner.lastFactSeq()
  }

  /**
   * Every record in key order. A scan streams for a while and cannot be retried like the other
   * reads, so it first flushes what is pending and then merges in only facts that arrive meanwhile.
   * `read` goes to the wrapped store's scan.
   */
  async *scan<C extends CollectionName>(collection: C, read?: PagedRead): AsyncIterable<CollectionRecords[C]> {
    this.#ensureOpen()
    await this.flush()
    const planned = await planOnto(this.#inner, this.rules, factsInScope(this.#queue, 0, this.#queue.length, {}), EMPTY_VIEW, new Map())
    yield* mergeInKeyOrder(collection, this.#inner.scan(collection, read), plannedIn(collection, planned.writes.values()))
  }

  /**
   * Flushes, then imports into the wrapped store, so that an import never shadows a pending
   * fact (an imported commit would otherwise turn the pending one into a skipped repeat).
   * @throws {Error} when the flush before the import fails; nothing is imported then.
   */
  async importRecords(batch: RecordBatch): Promise<ImportResult> {
    await this.#flushBeforeDirectWrite('importing')
    return this.#inner.importRecords(batch)
  }

  /**
   * Flushes, then imports the setups into the wrapped store, which combines their scores with the
   * stored ones (pending facts on them must be stored first, or they would apply twice).
   * @throws {Error} when the flush before the import fails; nothing is imported then.
   */
  async importSetups(source: string, setups: readonly SetupRecord[]): Promise<SetupImportResult> {
    await this.#flushBeforeDirectWrite('importing setups')
    return this.#inner.importSetups(source, setups)
  }

  /**
   * Flushes, then moves the records in the wrapped store, so no pending fact lands on the old setup afterwards.
   * @throws {Error} when the flush before the move fails; nothing moves then.
   */
  async reattribute(move: Reattribution): Promise<ReattributeResult> {
    await this.#flushBeforeDirectWrite('moving records to another setup')
    return this.#inner.reattribute(move)
  }

  /**
   * Flushes, then saves the profile in the wrapped store, so the store sees writes in the order
   * they were made.
   * @throws {Error} when the flush before the write fails; nothing is saved then.
   */
  async saveProjectProfile(path: string, profile: ProjectProfile): Promise<ProjectRecord> {
    await this.#flushBeforeDirectWrite('saving a project profile')
    return this.#inner.saveProjectProfile(path, profile)
  }

  schemaVersion(): Promise<number> {
    return this.#guard(() => this.#inner.schemaVersion())
  }

  recordMigration(record: MigrationRecord): Promise<void> {
    return this.#guard(() => this.#inner.recordMigration(record))
  }

  listMigrations(): Promise<MigrationRecord[]> {
    return this.#guard(() => this.#inner.listMigrations())
  }

  /**
   * Flushes, then closes the wrapped store.
   * @throws {WriteBufferError} FLUSH_FAILED when the final flush fails; the buffer then stays open with its facts pending.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    const result = await this.flush()
    if (result.errors.length > 0) {
      const pending = this.#queue.length
      throw new WriteBufferError('FLUSH_FAILED', `Could not flush ${String(pending)} pending facts before closing: ${result.errors.join('; ')}`, { pending, errors: result.errors }, { cause: this.#flusher.lastFailure })
    }
    this.#closed = true
    this.#flusher.stop()
    await this.#inner.close()
  }

  /**
   * Closes without the final flush, for a host that keeps the pending facts elsewhere (a file the
   * next flush of any host writes) because the store cannot take them now — another process holds
   * its write lock, and a write waiting for it could not be called off. Stops flushing, closes the
   * wrapped store once no flush is under way, and returns the facts that were pending.
   */
  async closeKeeping(): Promise<readonly Fact[]> {
    if (this.#closed) return []
    this.#closed = true
    // No flush starts from now on, not even one already queued.
    this.#flusher.stop()
    // A flush under way ends (written or failed) before the store closes; what it wrote is no longer
    // pending. One that waits longer waits for a lock it got after all: its facts are kept too (their
    // ids count them once should it land), and the store is left to it.
    const writing = this.#flusher.writing
    const settled = writing === undefined || (await settlesWithin(writing.catch(() => undefined), CLOSE_KEEPING_WAIT_MS))
    const kept = this.#queue.snapshot()
    if (settled) await this.#inner.close()
    return kept
  }

  async #flushBeforeDirectWrite(what: string): Promise<void> {
    this.#ensureOpen()
    const flushed = await this.flush()
    if (flushed.errors.length > 0) {
      throw new WriteBufferError('FLUSH_FAILED', `Could not flush pending facts before ${what}: ${flushed.errors.join('; ')}`, { pending: this.#queue.length, errors: flushed.errors }, { cause: this.#flusher.lastFailure })
    }
  }

  /**
   * Runs a read, again if facts left the queue or a flush's write started or ended meanwhile:
   * otherwise a batch could be counted both as stored and as pending.
   *
   * A read never waits for a flush's write, which may wait long for a write lock another process
   * holds. The batch being written stays in the queue until it is stored, so a read plans it with
   * the rest; planning skips a fact whose id the store has taken (a repeat), so the batch counts
   * once whether its transaction committed or not — provided the store did not commit facts
   * between the read's first look and its last. So while a write is under way, the read takes the
   * store's last fact sequence number before and after, and runs again when it moved; the stored
   * ids the overlay remembered are forgotten whenever it moved since they were looked up.
   */
  async #consistentRead<T>(read: () => Promise<T>): Promise<T> {
    this.#ensureOpen()
    for (;;) {
      const generation = this.#queue.generation
      const writing = this.#flusher.writing
      if (writing === undefined) {
        const result = await read()
        if (generation === this.#queue.generation && this.#flusher.writing === undefined) return result
        continue
      }
      const before = await this.#inner.lastFactSeq()
      if (generation !== this.#queue.generation) continue
      if (before !== this.#overlaySeq) {
        this.#overlay.forget()
        this.#overlaySeq = before
      }
      const result = await read()
      if (generation !== this.#queue.generation || this.#flusher.writing !== writing) continue
      if ((await this.#inner.lastFactSeq()) === before && generation === this.#queue.generation) return result
    }
  }

  #ensureOpen(): void {
    if (this.#closed) throw new TrackerError('STORE_CLOSED', 'The write buffer is closed.')
  }

  #guard<T>(call: () => Promise<T>): Promise<T> {
    try {
      this.#ensureOpen()
      return call()
    } catch (error) {
      return Promise.reject(asError(error))
    }
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error))
}

/** Wraps a store in a write buffer. */
export function withWriteBuffer(store: TrackerStore, options?: WriteBufferOptions): WriteBuffer {
  return new WriteBuffer(store, options)
}

/** How long {@link WriteBuffer.closeKeeping} waits for a flush under way. */
const CLOSE_KEEPING_WAIT_MS = 1000
