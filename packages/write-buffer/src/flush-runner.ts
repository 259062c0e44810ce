import type { AppliedBatch, DeferredBatch, Fact, TrackerStore } from '@agent-tracker/core'
import { supportsSyncApply } from '@agent-tracker/core/store'
import { WriteBufferError } from './errors.js'
import type { FlushResult, WriteBufferStats } from './flush-result.js'
import { EMPTY_FLUSH } from './flush-result.js'
import type { ResolvedWriteBufferOptions } from './options.js'
import type { PendingQueue } from './pending-queue.js'
import { SafetyValve } from './safety-valve.js'

/**
 * Hands the pending facts to the wrapped store: one flush at a time, the batch dequeued only
 * once stored, failures counted and reported (never thrown), and the safety valve told of both.
 */
export class FlushRunner {
  readonly #inner: TrackerStore
  readonly #queue: PendingQueue
  readonly #onFlushError: ((error: unknown) => void) | undefined
  readonly #valve: SafetyValve
  /** Flushes run one after another on this chain. */
  #chain: Promise<unknown> = Promise.resolve()
  #queued = 0
  #writing: Promise<unknown> | undefined
  #stopped = false
  #stats: Omit<WriteBufferStats, 'pending'> = { flushes: 0, failedFlushes: 0, factsWritten: 0, entriesWritten: 0 }
  #lastFailure: unknown

  constructor(inner: TrackerStore, queue: PendingQueue, options: ResolvedWriteBufferOptions) {
    this.#inner = inner
    this.#queue = queue
    this.#onFlushError = options.onFlushError
    // A flush already queued or under way (one waiting for another process's write lock, say) takes
    // every fact pending when it starts: the valve adds none behind it, the one after it checks again.
    this.#valve = new SafetyValve(options, () => {
      if (this.#queued === 0) void this.flush()
    })
  }

  /** Counters: pending facts, flushes, facts and entries written, the last error. */
  get stats(): WriteBufferStats {
    return { ...this.#stats, pending: this.#queue.length }
  }

  /** The asynchronous store write under way, if any. */
  get writing(): Promise<unknown> | undefined {
    return this.#writing
  }

  /** Applies everything pending as one batch, after any flush already queued. Never throws. */
  flush(): Promise<FlushResult> {
    this.#queued += 1
    const next = this.#chain.then(() => this.#flushOnce())
    this.#chain = next.finally(() => {
      this.#queued -= 1
      // Facts that came while this flush wrote (it may have waited for another process's lock)
      // found it queued; the valve looks at them now that it is done.
      if (this.#queued === 0) this.checkValve()
    })
    return next
  }

  /**
   * Applies everything pending synchronously. Never throws; SYNC_FLUSH_UNSUPPORTED is reported, and
   * so is FLUSH_UNDER_WAY while an asynchronous write is under way — this buffer's flush, or any the
   * store says of (`asyncWriteUnderWay`): it may be waiting for a write lock another process holds,
   * and a synchronous write would wait for that lock on this thread.
   */
  flushSync(): FlushResult {
    if (this.#queue.length === 0) return EMPTY_FLUSH
    const inner = this.#inner
    if (!supportsSyncApply(inner)) {
      return this.#failed(new WriteBufferError('SYNC_FLUSH_UNSUPPORTED', 'The wrapped store cannot apply facts synchronously; call flush() instead.', { operation: 'flushSync' }))
    }
    // A write of this process under way elsewhere — another store's, a search-build step, a profile — may be waiting for the lock too.
    const waiting = this.#writing !== undefined ? 'a flush is' : inner.asyncWriteUnderWay?.() === true ? 'another write of this process is' : undefined
    if (waiting !== undefined) {
      const pending = this.#queue.length
      return this.#failed(new WriteBufferError('FLUSH_UNDER_WAY', `${String(pending)} pending fact${pending === 1 ? ' was' : 's were'} not written: ${waiting} still waiting for the database (another process may hold its write lock), and a synchronous write would wait for it too.`, { pending }))
    }
    const batch = this.#queue.snapshot()
    try {
      return this.#succeeded(batch, inner.applyFactsSync(batch))
    } catch (error) {
      return this.#failed(error)
    }
  }

  /** Lets the safety valve look at the queue after facts arrived. */
  checkValve(): void {
    if (!this.#stopped) this.#valve.check(this.#queue.length, this.#queued > 0)
  }

  /** No more flushes by the safety valve (the buffer closed). */
  stop(): void {
    this.#stopped = true
    this.#valve.stop()
  }

  async #flushOnce(): Promise<FlushResult> {
    this.#valve.stop()
    // Stopped: the buffer closed (or closed keeping its facts), and its store may be closed too.
    if (this.#queue.length === 0 || this.#stopped) return EMPTY_FLUSH
    // Always the asynchronous write, also where the store could write synchronously: a store may
    // wait for a write lock meanwhile (the LMDB store does, off the host's thread). The batch stays
    // in the queue until it is stored, and reads tell a stored batch by its facts' ids (see
    // `WriteBuffer.#consistentRead`), so none is counted twice or missed.
    const batch = this.#queue.snapshot()
    const write = this.#inner.applyFacts(batch)
    this.#queue.touch()
    this.#writing = write
    try {
      return this.#succeeded(batch, await write)
    } catch (error) {
      return this.#failed(error)
    } finally {
      this.#writing = undefined
      this.#queue.touch()
    }
  }

  #succeeded(batch: readonly Fact[], result: AppliedBatch | DeferredBatch): FlushResult {
    // Only flushes remove facts and they run one at a time, so the batch is the head of the queue.
    // Dequeuing starts a new generation, which tells an overlapping read to plan again.
    this.#queue.dequeue(batch.length)
    const entriesWritten = result.deferred ? 0 : result.recordsWritten
    const skipped = result.deferred ? 0 : result.skipped.length
    this.#stats = {
      ...this.#stats,
      flushes: this.#stats.flushes + 1,
      factsWritten: this.#stats.factsWritten + batch.length,
      entriesWritten: this.#stats.entriesWritten + entriesWritten,
      lastFlushAt: new Date().toISOString(),
    }
    this.#valve.succeeded()
    this.checkValve()
    return { factsWritten: batch.length, entriesWritten, skipped, errors: [] }
  }

  /** What the latest failed flush threw (for errors that report it as their cause). */
  get lastFailure(): unknown {
    return this.#lastFailure
  }

  #failed(error: unknown): FlushResult {
    this.#lastFailure = error
    const message = error instanceof Error ? error.message : String(error)
    this.#stats = { ...this.#stats, failedFlushes: this.#stats.failedFlushes + 1, lastError: message }
    this.#valve.failed()
    this.checkValve()
    try {
      this.#onFlushError?.(error)
    } catch {
      // A failing observer must not turn a reported failure into a thrown one.
    }
    return { factsWritten: 0, entriesWritten: 0, skipped: 0, errors: [message] }
  }
}
