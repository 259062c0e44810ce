import type { CollectionName, CollectionRecords, RecordKey } from '../store/records.js'
import { compareKeys, recordKey } from '../store/records.js'

/**
 * Collections planning reads by setup and time: the grade events and bugs that name a commit (what
 * follows a commit an amend replaced), and the commits themselves (what finds the commit that
 * replaced one, see `replacementOf`).
 */
export type TimelineCollection = 'gradeEvents' | 'bugs' | 'commits'

/** Synchronous access to stored records and fact ids, as a store has inside its write transaction. */
export interface RecordReader {
  get<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined
  /**
   * The stored records of a setup in a collection at or after `since` and, when `until` is given,
   * before it, oldest first (as `find` with `setup`, `since`, `until` and `order: 'oldest'` gives
   * them). Planning asks only when an amend replaces a recorded commit, for the grade events and
   * bugs that name it, and when a fact names a commit not recorded, for the commits around it
   * that may have replaced it (a bounded span of time).
   */
  recordsSince<C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string): readonly CollectionRecords[C][]
  /**
   * Claims a fact id for the batch being planned: true when it is new, false when the store — or
   * this batch, earlier — has it already (the fact is a repeat). Planning claims every fact's id
   * once, in order, and logs every fact it claims, so a store may record the claim (and the
   * fact's sequence number) at once, inside its write transaction.
   */
  claimFact(id: string): boolean
}

/** One record to put. */
export type PlannedRecord = {
  readonly [C in CollectionName]: { readonly collection: C; readonly key: RecordKey; readonly record: CollectionRecords[C] }
}[CollectionName]

/** A record a store must delete, by collection and key. */
export interface DeletedRecord {
  readonly collection: CollectionName
  readonly key: RecordKey
}

/**
 * One key of a plan: its record as planned so far, else as stored (undefined when absent). A
 * planned record is the plan's own until {@link PlanOverlay.writes} hands it out, so a planner may
 * change it in place; a stored record it must copy first.
 */
export interface PlanSlot<C extends CollectionName> {
  readonly collection: C
  readonly key: RecordKey
  readonly record: CollectionRecords[C] | undefined
  readonly planned: boolean
}

/**
 * The stored records seen through the records planned so far. Each key is read from the store at
 * most once. The last slot of each collection is remembered, so that the facts of one session —
 * one setup, project and day after another — find theirs without building a lookup key.
 */
export interface PlanOverlay {
  /** The slot of the key made of `parts` (as many as the collection's key has), read from the store when new. */
  slot<C extends CollectionName>(collection: C, ...parts: KeyParts): PlanSlot<C>
  /** Plans `record` for the slot's key; a key keeps the place of its first put in {@link writes}. */
  put<C extends CollectionName>(slot: PlanSlot<C>, record: CollectionRecords[C]): void
  /** Plans a record under its own key without reading what is stored there. */
  putNew<C extends CollectionName>(collection: C, record: CollectionRecords[C]): void
  /** Plans the slot's key to hold no record (a later put in the plan fills it again). */
  remove(slot: PlanSlot<CollectionName>): void
  /**
   * The slots of a setup's records in a timeline collection at or after `since` (and before
   * `until`, when given), stored or planned, in key order.
   */
  since<C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string): PlanSlot<C>[]
  /** Every planned record, one per key, in the order of their keys' first puts. */
  writes(): PlannedRecord[]
  /** Every key planned to hold no record, in the order of their first plans. */
  deletes(): DeletedRecord[]
}

/** The parts of a key: one to three strings. */
export type KeyParts = [string] | [string, string] | [string, string, string]

interface Slot<C extends CollectionName> {
  readonly collection: C
  readonly key: RecordKey
  record: CollectionRecords[C] | undefined
  planned: boolean
}

interface Table {
  readonly slots: Map<string, Slot<CollectionName>>
  last: Slot<CollectionName> | undefined
}

// Key parts are paths, ids and timestamps, which never contain NUL.
const SEPARATOR = '\u0000'

/** An overlay of no planned records over `reader`. */
export function createPlanOverlay(reader: RecordReader): PlanOverlay {
  return new Overlay(reader)
}

/**
 * The overlay as a class: its methods are the same functions for every plan, so code that calls
 * them is compiled once, not again for the new functions each plan would otherwise bring.
 */
class Overlay implements PlanOverlay {
  readonly #reader: RecordReader
  readonly #tables = new Map<CollectionName, Table>()
  readonly #order: Slot<CollectionName>[] = []
  /** The spans of time read from the store already: their records are among the slots. */
  readonly #spans = new Set<string>()

  constructor(reader: RecordReader) {
    this.#reader = reader
  }

  slot<C extends CollectionName>(collection: C, ...parts: KeyParts): PlanSlot<C> {
    const table = this.#tableOf(collection)
    const last = table.last
    if (last !== undefined && sameKey(last.key, parts)) return last as Slot<C>
    const id = slotId(parts)
    let found = table.slots.get(id)
    if (found === undefined) {
      found = { collection, key: parts, record: this.#reader.get(collection, parts), planned: false }
      table.slots.set(id, found)
    }
    table.last = found
    return found as Slot<C>
  }

  put<C extends CollectionName>(slot: PlanSlot<C>, record: CollectionRecords[C]): void {
    this.#write(slot, record)
  }

  putNew<C extends CollectionName>(collection: C, record: CollectionRecords[C]): void {
    const key = recordKey(collection, record)
    const slots = this.#tableOf(collection).slots
    const id = slotId(key)
    let found = slots.get(id)
    if (found === undefined) {
      found = { collection, key, record: undefined, planned: false }
      slots.set(id, found)
    }
    this.#write(found, record)
  }

  remove(slot: PlanSlot<CollectionName>): void {
    this.#write(slot, undefined)
  }

  since<C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string): PlanSlot<C>[] {
    const slots = this.#tableOf(collection).slots
    const span = [collection, setup, since, until ?? ''].join(SEPARATOR)
    // What the store holds joins the slots read or planned before, which it does not override.
    for (const record of this.#spans.has(span) ? [] : this.#reader.recordsSince(collection, setup, since, until)) {
      const key = recordKey(collection, record)
      const id = slotId(key)
      if (!slots.has(id)) slots.set(id, { collection, key, record, planned: false })
    }
    this.#spans.add(span)
    const found: Slot<C>[] = []
    for (const slot of slots.values()) {
      const record = slot.record as CollectionRecords[C] | undefined
      if (record?.setup === setup && record.at >= since && (until === undefined || record.at < until)) found.push(slot as Slot<C>)
    }
    return found.sort((a, b) => compareKeys(a.key, b.key))
  }

  writes(): PlannedRecord[] {
    const writes: PlannedRecord[] = []
    for (const slot of this.#order) if (slot.record !== undefined) writes.push({ collection: slot.collection, key: slot.key, record: slot.record } as PlannedRecord)
    return writes
  }

  deletes(): DeletedRecord[] {
    const deletes: DeletedRecord[] = []
    for (const slot of this.#order) if (slot.record === undefined) deletes.push({ collection: slot.collection, key: slot.key })
    return deletes
  }

  #tableOf(collection: CollectionName): Table {
    let table = this.#tables.get(collection)
    if (table === undefined) {
      table = { slots: new Map(), last: undefined }
      this.#tables.set(collection, table)
    }
    return table
  }

  #write(slot: Slot<CollectionName>, record: unknown): void {
    slot.record = record as CollectionRecords[CollectionName]
    if (slot.planned) return
    slot.planned = true
    this.#order.push(slot)
  }
}

function sameKey(key: RecordKey, parts: KeyParts): boolean {
  return key.length === parts.length && key[0] === parts[0] && key[1] === parts[1] && key[2] === parts[2]
}

function slotId(parts: RecordKey): string {
  if (parts.length === 1) return parts[0] ?? ''
  if (parts.length === 2) return `${parts[0] ?? ''}${SEPARATOR}${parts[1] ?? ''}`
  return parts.join(SEPARATOR)
}
