import type { ScoringRules, TrackerStore } from '@agent-tracker/core'
import type { PendingQueue } from './pending-queue.js'
import type { FetchedRecord, PlannedChange, PlannedView } from './plan-pending.js'
import { EMPTY_VIEW, planOnto, rangeQuery } from './plan-pending.js'
import type { ReadScope } from './read-scope.js'
import { factsInScope, scopeKey } from './read-scope.js'
import { sameValue } from './same-value.js'

/** A plan of one scope's pending facts: valid while the queue keeps its generation. */
interface ScopePlan extends PlannedView {
  /** How many facts of the queue were looked at (the plan covers those in scope among them). */
  readonly scanned: number
}

/** More scopes than this are rarely read between flushes; beyond it the plans start over. */
const MAX_SCOPES = 64

/**
 * Read-your-writes at the cost of a few record reads: keeps, per read scope, the pending facts
 * planned onto the stored records they depend on. A read re-reads those stored records and
 * compares: unchanged, it only plans facts that arrived since (usually none or one); changed
 * (another process wrote), it plans the scope's facts again onto what is stored now. Never an
 * absolute state: always "stored state now + pending facts". A flush starts over (new generation).
 */
export class PendingOverlay {
  readonly #inner: TrackerStore
  readonly #rules: ScoringRules
  readonly #queue: PendingQueue
  readonly #plans = new Map<string, ScopePlan>()
  /**
   * Pending fact ids looked up in the store: true when stored (for good: the id index only grows),
   * false when not — until another process writes, which drops the answers.
   */
  readonly #storedIds = new Map<string, boolean>()
  /** The queue generation the plans belong to. */
  #generation = 0

  constructor(inner: TrackerStore, rules: ScoringRules, queue: PendingQueue) {
    this.#inner = inner
    this.#rules = rules
    this.#queue = queue
  }

  /**
   * The records the pending facts in a narrowed scope would put (or keys they would leave empty), by slot, planned onto the stored
   * records as they are now. When the queue's generation changes meanwhile the answer is
   * meaningless and the caller must read again.
   */
  async writesFor(scope: ReadScope): Promise<ReadonlyMap<string, PlannedChange>> {
    const queue = this.#queue
    const generation = queue.generation
    const key = scopeKey(scope)
    if (this.#generation !== generation) {
      // Plans of an earlier generation are never used again; drop them all at once.
      this.#plans.clear()
      this.#storedIds.clear()
      this.#generation = generation
    }
    const base = this.#plans.get(key)
    const scanned = queue.length
    // Taken before any await: appends after this point belong to the next read.
    const added = factsInScope(queue, base?.scanned ?? 0, scanned, scope)
    let view: PlannedView
    if (base === undefined) {
      view = await planOnto(this.#inner, this.#rules, added, EMPTY_VIEW, this.#storedIds)
    } else {
      const now = await this.#changedRecords(base.fetched)
      if (now === undefined) {
        view = await planOnto(this.#inner, this.#rules, added, base, this.#storedIds)
      } else {
        // Positions before `scanned` keep their facts while the generation holds.
        if (queue.generation !== generation) return EMPTY_VIEW.writes
        // Another process wrote: it may have taken some of these ids meanwhile.
        this.#forgetUnstoredIds()
        const all = factsInScope(queue, 0, scanned, scope)
        view = await planOnto(this.#inner, this.#rules, all, { writes: EMPTY_VIEW.writes, fetched: now }, this.#storedIds)
      }
    }
    if (queue.generation === generation) this.#remember(key, { ...view, scanned })
    return view.writes
  }

  /** Forgets every plan and every stored id looked up: the store took facts meanwhile (see `WriteBuffer.#consistentRead`). */
  forget(): void {
    this.#plans.clear()
    this.#storedIds.clear()
  }

  /** The stored records read again: undefined when all are as planned from, else all as they are now. */
  async #changedRecords(fetched: ReadonlyMap<string, FetchedRecord>): Promise<Map<string, FetchedRecord> | undefined> {
    if (fetched.size === 0) return undefined
    const entries = [...fetched]
    const records = await Promise.all(entries.map(([, { collection, key, range }]) => (range === undefined ? this.#inner.get(collection, key) : this.#inner.find(collection, rangeQuery(range)))))
    if (entries.every(([, known], index) => sameValue(known.record, records[index]))) return undefined
    return new Map(entries.map(([slot, known], index) => [slot, { ...known, record: records[index] }]))
  }

  #forgetUnstoredIds(): void {
    for (const [id, stored] of this.#storedIds) if (!stored) this.#storedIds.delete(id)
  }

  #remember(key: string, plan: ScopePlan): void {
    if (this.#plans.size >= MAX_SCOPES && !this.#plans.has(key)) this.#plans.clear()
    this.#plans.set(key, plan)
  }
}
