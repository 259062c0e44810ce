import type {
  AppliedBatch,
  CollectionName,
  CollectionRecords,
  DeferredBatch,
  Fact,
  ImportResult,
  MigrationRecord,
  PlannedRecord,
  ProjectProfile,
  ProjectRecord,
  RecordBatch,
  RecordKey,
  RecordQuery,
  ScoringRules,
  TrackerStore,
} from '@agent-tracker/core'
import {
  TrackerError,
  compareKeys,
  matchesQuery,
  normaliseQuery,
  orderAndLimit,
  recordKey,
  supportsSyncApply,
  validateFact,
} from '@agent-tracker/core'
import { WriteBufferError } from './errors.js'
import type { ResolvedWriteBufferOptions, WriteBufferOptions } from './options.js'
import { resolveWriteBufferOptions } from './options.js'
import { planPending, relevantFacts, scopeOfKey, slotOf } from './pending-overlay.js'

/** What one flush did. A flush never throws: failures are reported in `errors`. */
export interface FlushResult {
  /** Facts handed to the store in this flush (0 when it failed or nothing was pending). */
  readonly factsWritten: number
  /** Records the store put (facts on one record collapse into one put). */
  readonly entriesWritten: number
  /** Facts the store recognised as repeats. */
  readonly skipped: number
  /** Why the flush failed; the facts are still pending. Empty on success. */
  readonly errors: readonly string[]
}

/** Counters for observability. */
export interface WriteBufferStats {
  readonly pending: number
  readonly flushes: number
  readonly failedFlushes: number
  readonly factsWritten: number
  readonly entriesWritten: number
  readonly lastError?: string
  readonly lastFlushAt?: string
}

/**
 * A store decorator: facts go to memory (no I/O), reads see stored records plus pending facts,
 * and `flush()` hands everything pending to the wrapped store as one atomic batch.
 */
export class WriteBuffer implements TrackerStore {
  readonly rules: ScoringRules
  readonly #inner: TrackerStore
  readonly #options: ResolvedWriteBufferOptions
  #pending: Fact[] = []
  /** Flushes run one after another on this chain. */
  #flushQueue: Promise<unknown> = Promise.resolve()
  #queuedFlushes = 0
  /** The store write of the flush under way, if any; reads wait for it. */
  #writing: Promise<unknown> | undefined
  /** Bumped when a flush's write starts, ends or dequeues facts, so reads can tell they overlapped one. */
  #generation = 0
  #ageTimer: ReturnType<typeof setTimeout> | undefined
  #closed = false
  #stats: Omit<WriteBufferStats, 'pending'> = { flushes: 0, failedFlushes: 0, factsWritten: 0, entriesWritten: 0 }

  constructor(inner: TrackerStore, options: WriteBufferOptions = {}) {
    this.#inner = inner
    this.#options = resolveWriteBufferOptions(options)
    this.rules = inner.rules
  }

  /** Facts waiting for the next flush. */
  get pendingCount(): number {
    return this.#pending.length
  }

  /** Counters: pending facts, flushes, facts and entries written, the last error. */
  get stats(): WriteBufferStats {
    return { ...this.#stats, pending: this.#pending.length }
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
    for (const fact of checked) this.#pending.push(fact)
    this.#armSafetyValve()
    return { deferred: true, accepted: checked.length }
  }

  /**
   * Applies everything pending as one batch. Concurrent calls queue up; a fact is never applied
   * twice. On failure every fact stays pending and the error is reported, never thrown.
   */
  flush(): Promise<FlushResult> {
    this.#queuedFlushes += 1
    const next = this.#flushQueue.then(() => this.#flushOnce())
    this.#flushQueue = next.finally(() => {
      this.#queuedFlushes -= 1
    })
    return next
  }

  /**
   * Applies everything pending synchronously, for process-exit paths. Never throws.
   * Reports SYNC_FLUSH_UNSUPPORTED when the wrapped store cannot write synchronously.
   */
  flushSync(): FlushResult {
    if (this.#pending.length === 0) return EMPTY_FLUSH
    const inner = this.#inner
    if (!supportsSyncApply(inner)) {
      const error = new WriteBufferError('SYNC_FLUSH_UNSUPPORTED', 'The wrapped store cannot apply facts synchronously; call flush() instead.')
      return this.#failed(error)
    }
    const batch = this.#pending.slice()
    try {
      return this.#succeeded(batch, inner.applyFactsSync(batch))
    } catch (error) {
      return this.#failed(error)
    }
  }

  get<C extends CollectionName>(collection: C, key: RecordKey): Promise<CollectionRecords[C] | undefined> {
    return this.#consistentRead(async (pending) => {
      const facts = relevantFacts(pending, collection, scopeOfKey(collection, key))
      if (facts.length === 0) return this.#inner.get(collection, key)
      const slot = slotOf(collection, key)
      const planned = (await this.#plan(facts)).find((write) => slotOf(write.collection, write.key) === slot)
      return planned === undefined ? this.#inner.get(collection, key) : (planned.record as CollectionRecords[C])
    })
  }

  find<C extends CollectionName>(collection: C, query: RecordQuery = {}): Promise<CollectionRecords[C][]> {
    return this.#consistentRead(async (pending) => {
      const normal = normaliseQuery(collection, query)
      const facts = relevantFacts(pending, collection, normal)
      if (facts.length === 0) return this.#inner.find(collection, normal)
      const overlay = (await this.#plan(facts)).filter((write): write is PlannedRecord & { collection: C } => write.collection === collection)
      const widened = normal.limit === undefined ? normal : { ...normal, limit: normal.limit + overlay.length }
      const merged = new Map<string, CollectionRecords[C]>()
      for (const record of await this.#inner.find(collection, widened)) merged.set(slotOf(collection, recordKey(collection, record)), record)
      for (const write of overlay) {
        const slot = slotOf(collection, write.key)
        if (matchesQuery(collection, write.record as CollectionRecords[C], normal)) merged.set(slot, write.record as CollectionRecords[C])
        else merged.delete(slot)
      }
      return orderAndLimit(collection, [...merged.values()], normal)
    })
  }

  /**
   * Every record in key order. A scan streams for a while and cannot be retried like the other
   * reads, so it first flushes what is pending and then merges in only facts that arrive meanwhile.
   */
  async *scan<C extends CollectionName>(collection: C): AsyncIterable<CollectionRecords[C]> {
    this.#ensureOpen()
    await this.flush()
    const overlay = (await this.#plan(this.#pending))
      .filter((write) => write.collection === collection)
      .sort((a, b) => compareKeys(a.key, b.key))
    let next = 0
    for await (const record of this.#inner.scan(collection)) {
      const key = recordKey(collection, record)
      let ahead = overlay.at(next)
      while (ahead !== undefined && compareKeys(ahead.key, key) < 0) {
        yield ahead.record as CollectionRecords[C]
        ahead = overlay.at(++next)
      }
      if (ahead !== undefined && compareKeys(ahead.key, key) === 0) {
        yield ahead.record as CollectionRecords[C]
        next += 1
      } else {
        yield record
      }
    }
    for (const rest of overlay.slice(next)) yield rest.record as CollectionRecords[C]
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
   * Flushes, then saves the profile in the wrapped store, so the store sees writes in the order
   * they were made.
   * @throws {Error} when the flush before the write fails; nothing is saved then.
   */
  async saveProjectProfile(path: string, profile: ProjectProfile): Promise<ProjectRecord> {
    await this.#flushBeforeDirectWrite('saving a project profile')
    return this.#inner.saveProjectProfile(path, profile)
  }

  async #flushBeforeDirectWrite(what: string): Promise<void> {
    this.#ensureOpen()
    const flushed = await this.flush()
    if (flushed.errors.length > 0) throw new Error(`Could not flush pending facts before ${what}: ${flushed.errors.join('; ')}`)
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
   * @throws {Error} when the final flush fails; the buffer then stays open with its facts pending.
   */
  async close(): Promise<void> {
    if (this.#closed) return
    const result = await this.flush()
    if (result.errors.length > 0) {
      throw new Error(`Could not flush ${String(this.#pending.length)} pending facts before closing: ${result.errors.join('; ')}`)
    }
    this.#closed = true
    this.#clearAgeTimer()
    await this.#inner.close()
  }

  async #flushOnce(): Promise<FlushResult> {
    this.#clearAgeTimer()
    if (this.#pending.length === 0) return EMPTY_FLUSH
    // A store that writes synchronously applies and dequeues the batch in one step: no reader and
    // no flushSync() can ever see it both stored and pending.
    if (supportsSyncApply(this.#inner)) return this.flushSync()
    const batch = this.#pending.slice()
    const write = this.#inner.applyFacts(batch)
    this.#generation += 1
    this.#writing = write
    try {
      return this.#succeeded(batch, await write)
    } catch (error) {
      return this.#failed(error)
    } finally {
      this.#writing = undefined
      this.#generation += 1
    }
  }

  /**
   * Runs a read against a snapshot of the pending facts, again if a flush's write started or
   * ended meanwhile: otherwise a batch could be counted both as stored and as pending.
   */
  async #consistentRead<T>(read: (pending: readonly Fact[]) => Promise<T>): Promise<T> {
    this.#ensureOpen()
    for (;;) {
      if (this.#writing !== undefined) await this.#writing.catch(() => undefined)
      const generation = this.#generation
      const result = await read(this.#pending.slice())
      if (generation === this.#generation && this.#writing === undefined) return result
    }
  }

  #succeeded(batch: readonly Fact[], result: AppliedBatch | DeferredBatch): FlushResult {
    // Only flushes remove facts and they run one at a time, so the batch is the head of the queue.
    this.#pending.splice(0, batch.length)
    // A synchronous flush never sets #writing: this bump is what tells an overlapping read that
    // the facts it planned as pending are now stored.
    this.#generation += 1
    const entriesWritten = result.deferred ? 0 : result.recordsWritten
    const skipped = result.deferred ? 0 : result.skipped.length
    this.#stats = {
      ...this.#stats,
      flushes: this.#stats.flushes + 1,
      factsWritten: this.#stats.factsWritten + batch.length,
      entriesWritten: this.#stats.entriesWritten + entriesWritten,
      lastFlushAt: new Date().toISOString(),
    }
    this.#armSafetyValve()
    return { factsWritten: batch.length, entriesWritten, skipped, errors: [] }
  }

  #failed(error: unknown): FlushResult {
    const message = error instanceof Error ? error.message : String(error)
    this.#stats = { ...this.#stats, failedFlushes: this.#stats.failedFlushes + 1, lastError: message }
    this.#armSafetyValve()
    try {
      this.#options.onFlushError?.(error)
    } catch {
      // A failing observer must not turn a reported failure into a thrown one.
    }
    return { factsWritten: 0, entriesWritten: 0, skipped: 0, errors: [message] }
  }

  #plan(facts: readonly Fact[]): Promise<PlannedRecord[]> {
    return planPending(this.#inner, facts, this.rules).then((plan) => [...plan.writes])
  }

  #armSafetyValve(): void {
    const { maxPending, maxAgeMs } = this.#options
    if (this.#pending.length === 0) {
      this.#clearAgeTimer()
      return
    }
    if (maxPending !== false && this.#pending.length > maxPending && this.#queuedFlushes === 0) {
      void this.flush()
      return
    }
    if (maxAgeMs !== false && this.#ageTimer === undefined && !this.#closed) {
      this.#ageTimer = setTimeout(() => {
        this.#ageTimer = undefined
        void this.flush()
      }, maxAgeMs)
      this.#ageTimer.unref()
    }
  }

  #clearAgeTimer(): void {
    if (this.#ageTimer !== undefined) clearTimeout(this.#ageTimer)
    this.#ageTimer = undefined
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

const EMPTY_FLUSH: FlushResult = { factsWritten: 0, entriesWritten: 0, skipped: 0, errors: [] }

/** Wraps a store in a write buffer. */
export function withWriteBuffer(store: TrackerStore, options?: WriteBufferOptions): WriteBuffer {
  return new WriteBuffer(store, options)
}
