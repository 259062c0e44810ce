import type { CollectionName, CollectionRecords, Fact, RecordKey, UsageRecord } from '@agent-tracker/core'
import type { DeletedRecord, PlannedRecord, RecordReader, SearchedRecord, TimelineCollection } from '@agent-tracker/core/store'
import { recordSlot } from '@agent-tracker/core/store'
import type { Database, Key } from 'lmdb'
import { encodeFactBatch } from './fact-log-codec.js'
import type { SecondaryIndex } from './indexes.js'
import { SECONDARY_INDEXES, sameKey } from './indexes.js'
import type { SearchIndexEntry } from './search-index.js'
import { isSearched, noteBuildWrite, putSearchEntry, removeSearchEntry } from './search-index.js'
import { LAST_FACT_SEQ_KEY, SEARCHED_THROUGH_KEY, factIdKey, keyPart, rememberLongParts, toLmdbKey } from './layout.js'
import type { QueryTables } from './record-queries.js'
import { findRecords } from './record-queries.js'
import { TotalsInStep } from './setup-totals.js'

/** A reader of the write transaction that also tells what a key held before the batch, if it read it. */
export interface TransactionReader extends RecordReader {
  /** The stored record read for this key, `undefined` if absent, or `unread` if never read. */
  storedBefore<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined | typeof UNREAD
  /** The sequence number the first fact claimed in this transaction got (0 before any claim). */
  readonly firstClaimedSeq: number
}

/** The put options of an id claim, shared: a flush claims thousands of ids, and an object each was garbage to collect. */
const NO_OVERWRITE = { noOverwrite: true } as const
/**
 * The put options of a claim that appends. LMDB then puts the key after the table's last one
 * without searching for its place, and it refuses a key that is not past the last one, as if it
 * existed. A refused claim is put again with {@link NO_OVERWRITE}, so a refusal costs time, never
 * a wrong answer.
 */
const APPEND = { append: true } as const
/** The put options of a claim numbered again (see `FactIdClaims.claimAll`): over what the claim put. */
const OVERWRITE = {} as const

/** What {@link TransactionReader.storedBefore} says about a key the batch never read. */
export const UNREAD = Symbol('unread')

/**
 * A reader for planning inside the write transaction that reads each key once, absent keys
 * included (planning asks again for records it has not written yet, e.g. a retrospective). A
 * claimed fact id is put in the id index at once, with the next sequence number, only if absent:
 * one lookup both detects a repeat and records the id.
 *
 * Given the `batch` being planned, the reader claims every id of it at the first claim (see
 * `FactIdClaims.claimAll`), and answers each claim from there: planning claims every
 * fact of its batch once, in order (see `RecordReader.claimFact`), so the ids claimed and their
 * sequence numbers are those of claims made one by one. The puts then sit in a small function of
 * their own rather than inside the planner's loop, whose compiled code would carry lmdb-js's write
 * path and be thrown away whenever that met a new environment.
 */
export function createTransactionReader(db: QueryTables, batch?: readonly Fact[]): TransactionReader {
  return new BatchReader(db, batch)
}

/** The reader of {@link createTransactionReader}: a class, so that its methods are the same functions for every batch, and code calling them is compiled once. */
class BatchReader implements TransactionReader {
  readonly #db: QueryTables
  readonly #batch: readonly Fact[] | undefined
  readonly #seen = new Map<string, unknown>()
  readonly #claims: FactIdClaims
  /** The batch's claims, made at the first claim: 1 for a new id, 0 for a repeat or a hole. */
  #claimed: Uint8Array | undefined
  /** Where the next claim of the batch is. */
  #next = 0

  constructor(db: QueryTables, batch: readonly Fact[] | undefined) {
    this.#db = db
    this.#batch = batch
    this.#claims = new FactIdClaims(db)
  }

  get firstClaimedSeq(): number {
    return this.#claims.firstClaimedSeq
  }

  claimFact(id: string): boolean {
    const batch = this.#batch
    if (batch === undefined) return this.#claims.claim(id)
    this.#claimed ??= this.#claims.claimAll(batch)
    while (this.#next < batch.length && batch[this.#next] === undefined) this.#next += 1
    if (batch[this.#next]?.id !== id) throw new Error(`Fact id ${id} was claimed out of the order of its batch: planning claims every fact of its batch once, in order.`)
    return this.#claimed[this.#next++] === 1
  }

  get<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined {
    const slot = recordSlot(collection, key)
    if (this.#seen.has(slot)) return this.#seen.get(slot) as CollectionRecords[C] | undefined
    const record = (this.#db.tables[collection] as Database<CollectionRecords[C]>).get(toLmdbKey(key))
    this.#seen.set(slot, record)
    return record
  }

  recordsSince<C extends TimelineCollection>(collection: C, setup: string, since: string, until?: string): readonly CollectionRecords[C][] {
    return findRecords(this.#db, collection, { setup, since, ...(until === undefined ? {} : { until }), order: 'oldest' })
  }

  storedBefore<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined | typeof UNREAD {
    const slot = recordSlot(collection, key)
    return this.#seen.has(slot) ? (this.#seen.get(slot) as CollectionRecords[C] | undefined) : UNREAD
  }
}

/** Fact ids claimed in the id index inside a write transaction, each with the next sequence number. */
class FactIdClaims {
  readonly #db: QueryTables
  /** The sequence number the first claim got (0 before any claim). */
  firstClaimedSeq = 0
  #nextSeq = 0
  /**
   * The last key tried as an append, whether LMDB took it or refused it: the id index's last key is
   * at or past it. Undefined before the first claim (see {@link claim}).
   */
  #appendAbove: string | undefined

  constructor(db: QueryTables) {
    this.#db = db
  }

  /**
   * Claims every fact's id as {@link claim} would one by one, in order: 1 where the id was new, 0 for
   * a repeat (and for a hole in the array). Ids past the index's last key — those of a host's newest
   * session, whose ids begin with its time — are put in key order, appending: put in the batch's
   * order they landed in no order (a tool call's id ends with the provider's own), each a put that
   * searched, and pages split half full (a batch of 10,000 into an empty index: ~13 ms instead of
   * ~29). Ids among the stored ones are put in the batch's order, as before: sorted, they would all
   * go into one stretch of pages, which then split half full, slower than in no order. The
   * sequence numbers are the batch's order all the same: each first occurrence is numbered as if
   * new, and when some turn out to be stored already (a replay), the claims after them are put
   * again with their numbers moved down.
   */
  claimAll(facts: readonly Fact[]): Uint8Array {
    const claimed = new Uint8Array(facts.length)
    this.#start()
    // Each id's key and first place in the batch, numbered as if new; a later place of the same id is a repeat.
    const firstAt = new Map<string, number>()
    const keys = new Array<string | undefined>(facts.length)
    const seqs = new Float64Array(facts.length)
    let seq = this.#nextSeq
    for (let index = 0; index < facts.length; index++) {
      const fact = facts[index]
      if (fact === undefined) continue
      const key = factIdKey(fact.id)
      if (firstAt.get(key) !== undefined) continue
      firstAt.set(key, index)
      keys[index] = key
      seqs[index] = seq++
    }
    // JavaScript compares keys as UTF-16, LMDB as UTF-8 bytes: the same order but for characters
    // past U+FFFF. A key on the wrong side of the last one only takes the other way to its claim.
    const last = this.#lastKey()
    const past: string[] = []
    let repeats = 0
    for (let index = 0; index < facts.length; index++) {
      const key = keys[index]
      if (key === undefined) continue
      if (last === undefined || key > last) past.push(key)
      else if (this.#put(key, seqs[index] ?? 0, NO_OVERWRITE)) claimed[index] = 1
      else repeats += 1
    }
    for (const key of past.sort()) {
      const index = firstAt.get(key) ?? 0
      if (this.#putKey(key, seqs[index] ?? 0)) claimed[index] = 1
      else repeats += 1
    }
    if (repeats === 0) {
      this.#nextSeq = seq
      return claimed
    }
    // Stored ids were among them: every claim is numbered again in turn, and put again where its number moved.
    seq = this.#nextSeq
    for (let index = 0; index < facts.length; index++) {
      if (claimed[index] !== 1) continue
      if (seqs[index] !== seq) this.#put(keys[index] ?? '', seq, OVERWRITE)
      seq += 1
    }
    this.#nextSeq = seq
    return claimed
  }

  /** The id index's last key; undefined when it is empty. */
  #lastKey(): string | undefined {
    for (const key of this.#db.factIds.getKeys({ reverse: true, limit: 1 })) return typeof key === 'string' ? key : undefined
    return undefined
  }

  /** Puts `id` in the id index with the next sequence number, unless it is there: true when it was new. */
  claim(id: string): boolean {
    this.#start()
    if (!this.#putKey(factIdKey(id), this.#nextSeq)) return false
    this.#nextSeq += 1
    return true
  }

  /** Numbers the claims on from the log's last fact, at the first claim. */
  #start(): void {
    if (this.#nextSeq !== 0) return
    this.#nextSeq = lastFactSeq(this.#db) + 1
    this.firstClaimedSeq = this.#nextSeq
  }

  /** Puts `key` in the id index with `seq`, unless it is there: true when it was new. */
  #putKey(key: string, seq: number): boolean {
    // Generated ids begin with their time, so most claims come in key order and can append (a
    // third cheaper than a put that searches). An id is tried as an append only past the highest
    // key seen, so ids in no order (hashes, a host's own ids) rarely pay for a refused append.
    // The comparison is only a guess at LMDB's byte order: a wrong guess costs a put, not a claim.
    if (this.#appendAbove === undefined || key > this.#appendAbove) {
      this.#appendAbove = key
      if (this.#put(key, seq, APPEND)) return true
    }
    return this.#put(key, seq, NO_OVERWRITE)
  }

  /** Puts `key` with `seq`: false when the options refused it. */
  #put(key: string, seq: number, options: typeof NO_OVERWRITE | typeof APPEND | typeof OVERWRITE): boolean {
    const encoded = sequenceBytes(seq)
    // lmdb-js returns false when the put was refused (its typings say void).
    // eslint-disable-next-line @typescript-eslint/no-confusing-void-expression
    return (encoded === undefined ? this.#db.factIds.putSync(key, seq, options) : this.#db.factIdBytes.putSync(key, encoded, options)) as unknown as boolean
  }
}

/** Where {@link sequenceBytes} writes: one buffer per width, reused — claims run inside a synchronous write transaction, whose puts copy the bytes at once. */
const UINT16 = Buffer.alloc(3)
const UINT32 = Buffer.alloc(5)

/**
 * A sequence number as the id index's encoder (msgpack) writes it, for the numbers from 256 to
 * 2³² − 1 — `0xcd` and two bytes, `0xce` and four, big-endian — written here instead: a flush
 * claims thousands of ids, and the encoder's setup per value was about a sixth of their cost. The
 * stored bytes are the same, so every reader decodes them as before. Undefined for other numbers
 * (the first 255, and past 2³² − 1), which the encoder writes.
 */
export function sequenceBytes(seq: number): Buffer | undefined {
  if (!Number.isInteger(seq) || seq < 0x100 || seq > 0xffff_ffff) return undefined
  // Byte by byte: Buffer's writers check their arguments on every call, and these are checked above.
  if (seq < 0x1_0000) {
    UINT16[0] = 0xcd
    UINT16[1] = seq >>> 8
    UINT16[2] = seq & 0xff
    return UINT16
  }
  UINT32[0] = 0xce
  UINT32[1] = seq >>> 24
  UINT32[2] = (seq >>> 16) & 0xff
  UINT32[3] = (seq >>> 8) & 0xff
  UINT32[4] = seq & 0xff
  return UINT32
}

/** The sequence number of the newest logged fact; 0 for an empty log. */
export function lastFactSeq(db: Pick<QueryTables, 'meta'>): number {
  const value = db.meta.get(LAST_FACT_SEQ_KEY)
  return typeof value === 'number' ? value : 0
}

/**
 * Appends the facts a batch claimed to the fact log, as one entry keyed by the first one's
 * sequence number, inside the caller's write transaction.
 */
export function appendFactLog(db: QueryTables, firstSeq: number, facts: readonly Fact[]): void {
  if (facts.length === 0) return
  db.factLog.putSync(firstSeq, encodeFactBatch(facts))
  db.meta.putSync(LAST_FACT_SEQ_KEY, firstSeq + facts.length - 1)
  // The search indexes stay known to be in step only while every batch before kept them so.
  if (db.meta.get(SEARCHED_THROUGH_KEY) === firstSeq - 1) db.meta.putSync(SEARCHED_THROUGH_KEY, firstSeq + facts.length - 1)
  // And a build under way ends only once a pass saw no batch of another release's.
  else noteBuildWrite(db, firstSeq, firstSeq + facts.length - 1)
}

/**
 * Puts planned records inside the caller's write transaction and keeps the secondary indexes and
 * the setup totals in step: a record that moved in an index (a commit whose setup or time changed)
 * leaves no stale entry, and a day rollup moves its setup's totals by what it changed. The stored
 * version of a record comes from `reader` when planning read it, so it is not read twice; `fresh`
 * says every key is new (an import) but for day rollups, so the indexes look nothing up; `entries`
 * are the records' search entries when made already (see `searchEntries`), or `null` for none at
 * all: a search-index build started in the same transaction gives them later (an upgrade).
 */
export function putRecords(db: QueryTables, writes: readonly PlannedRecord[], reader?: TransactionReader, fresh = false, entries?: readonly (SearchIndexEntry | undefined)[] | null): void {
  const storedBefore = (write: PlannedRecord, key: Key): unknown => {
    // Not `??`: a record planning found absent is `undefined`, and known.
    const known = reader === undefined ? UNREAD : reader.storedBefore(write.collection, write.key)
    return known === UNREAD ? (db.tables[write.collection] as Database<unknown>).get(key) : known
  }
  const totals = new TotalsInStep(db)
  for (let position = 0; position < writes.length; position++) {
    const write = writes[position]
    if (write === undefined) continue
    const key = toLmdbKey(write.key)
    rememberLongParts(db.meta, write.key)
    const indexes = SECONDARY_INDEXES[write.collection] as readonly SecondaryIndex[]
    if (indexes.length > 0) {
      const movable = !fresh && indexes.some((index) => !index.fixed)
      const previous = movable ? storedBefore(write, key) : undefined
      indexRecord(db, indexes, write.record, previous)
      if (entries !== null && isSearched(write.collection)) putSearchEntry(db.search, write.collection, write.key, write.record as SearchedRecord, previous as SearchedRecord | undefined, entries?.[position])
    }
    // An import merges into the rollups it read: a rollup is never taken as new.
    if (write.collection === 'usage') totals.put(storedBefore(write, key) as UsageRecord | undefined, write.record)
    ;(db.tables[write.collection] as Database<unknown>).putSync(key, write.record)
  }
  totals.write()
}

/** Deletes records inside the caller's write transaction, with their secondary index entries. */
export function deleteRecords(db: QueryTables, deletes: readonly DeletedRecord[]): void {
  const totals = new TotalsInStep(db)
  for (const { collection, key } of deletes) {
    const table = db.tables[collection] as Database<unknown>
    const lmdbKey = toLmdbKey(key)
    const stored = table.get(lmdbKey)
    if (stored === undefined) continue
    for (const index of SECONDARY_INDEXES[collection] as readonly SecondaryIndex[]) db.indexes[index.name].removeSync(indexKey(index, stored))
    if (isSearched(collection)) removeSearchEntry(db.search, collection, key, stored as SearchedRecord)
    table.removeSync(lmdbKey)
    if (collection === 'usage') totals.removed(stored as UsageRecord)
  }
  totals.write()
}

function indexRecord(db: QueryTables, indexes: readonly SecondaryIndex[], record: unknown, previous: unknown): void {
  for (const index of indexes) {
    const table = db.indexes[index.name]
    const key = indexKey(index, record)
    const value = index.value(record as never)
    if (previous !== undefined) {
      if (index.fixed) continue
      const old = indexKey(index, previous)
      if (sameKey(old, key)) {
        if (JSON.stringify(index.value(previous as never)) === JSON.stringify(value)) continue
      } else {
        table.removeSync(old)
      }
    }
    table.putSync(key, value)
  }
}

/** A record's key in a secondary index, each part as {@link keyPart} stores it. */
function indexKey(index: SecondaryIndex, record: unknown): Key {
  return (index.key(record as never) as readonly unknown[]).map(keyPart) as Key
}
