import type { RecordKey, RecordQuery } from '@agent-tracker/core'
import type { PlannedRecord, SearchEntry, SearchEntryVisitor, SearchedCollection, SearchedRecord } from '@agent-tracker/core/store'
import { TrackerError } from '@agent-tracker/core'
import { SEARCHED_COLLECTIONS, digestProblem, isCanonicalTimestamp, isSearched, searchDigest } from '@agent-tracker/core/store'
import type { Database } from 'lmdb'
import type { QueryTables } from './record-queries.js'
import { EARLIER_SEARCH_MARK_KEYS, LAST_FACT_SEQ_KEY, SEARCHED_THROUGH_KEY, SEARCH_BUILD_KEY, STRUCTURES_KEY, keyPart } from './layout.js'
import type { TreeWrites } from './size-limit.js'

export { SEARCHED_COLLECTIONS, isSearched }

/**
 * A collection's search index: each record's search digest (see `searchDigest` in core) in time
 * order, so a prior-art search reads a few bytes a record, contiguously, instead of every record.
 * Keys and values are raw bytes, decoded by hand: a string decoded per entry cost more than the rest.
 * - key: its time (milliseconds since 1970 plus 8.64 × 10¹⁵ — every time a Date holds — 8 bytes,
 *   big-endian); a form byte (1: a journal entry's or bug's key without its time, which the first
 *   bytes give, when its time is written as `toISOString` writes it; 0: every part); then each key
 *   part as stored (see `keyPart`): its UTF-8 with bytes 0 and 1 written as 1 1 and 1 2, then a 0 —
 *   keys of one time sort as the parts themselves do;
 * - value: its digest (which holds its project as a hash).
 * Read-only, a table is undefined in a database of schema 2, written before the index.
 */
export type SearchTables = Readonly<Record<SearchedCollection, Database<Uint8Array, Uint8Array> | undefined>>

const TIME_BYTES = 8
/** Added to a time in milliseconds: the earliest a Date holds (−8.64 × 10¹⁵) becomes 0. */
const EPOCH_OFFSET = 8_640_000_000_000_000n
/** Form bytes: every part of the key, or a `[setup, at, id]` key without `at`. */
const EVERY_PART = 0
const WITHOUT_TIME = 1

/**
 * A record's key in its collection's search index. Every record written and every record an
 * upgrade indexes passes here, so the common case — a time as `toISOString` writes it (which the
 * key's bytes give back exactly) before the year 13,000, parts without bytes 0 or 1 — writes
 * straight into one buffer: no BigInt, no Date, no buffer per part. Anything else takes the
 * general way, which writes the same bytes.
 */
export function searchKey(collection: SearchedCollection, at: string, key: RecordKey): Buffer {
  const ms = isCanonicalTimestamp(at) ? Date.parse(at) : Number.NaN
  const offsetTime = ms + EPOCH_OFFSET_MS
  if (Number.isNaN(ms) || offsetTime > Number.MAX_SAFE_INTEGER) return generalSearchKey(collection, at, key)
  const withoutTime = (collection === 'activities' || collection === 'bugs') && key.length === 3 && key[1] === at
  const parts = withoutTime ? [keyPart(key[0] ?? ''), keyPart(key[2] ?? '')] : key.map(keyPart)
  let length = TIME_BYTES + 1
  for (const part of parts) {
    if (hasLowBytes(part)) return generalSearchKey(collection, at, key)
    length += Buffer.byteLength(part, 'utf8') + 1
  }
  const bytes = Buffer.allocUnsafe(length)
  const high = Math.floor(offsetTime / 2 ** 32)
  bytes.writeUInt32BE(high, 0)
  bytes.writeUInt32BE(offsetTime - high * 2 ** 32, 4)
  bytes[TIME_BYTES] = withoutTime ? WITHOUT_TIME : EVERY_PART
  let offset = TIME_BYTES + 1
  for (const part of parts) {
    offset += bytes.write(part, offset, 'utf8')
    bytes[offset++] = 0
  }
  return bytes
}

/** {@link EPOCH_OFFSET} as a number. */
const EPOCH_OFFSET_MS = Number(EPOCH_OFFSET)

/** Whether a key part holds the characters U+0000 or U+0001 — in UTF-8 the only ways to bytes 0 and 1. */
function hasLowBytes(part: string): boolean {
  for (let index = 0; index < part.length; index++) if (part.charCodeAt(index) <= 1) return true
  return false
}

/** {@link searchKey} for any time and any parts: bytes 0 and 1 escaped, the time through BigInt. */
function generalSearchKey(collection: SearchedCollection, at: string, key: RecordKey): Buffer {
  const time = timeOf(at)
  const withoutTime = (collection === 'activities' || collection === 'bugs') && key.length === 3 && key[1] === at && isoOf(time) === at
  const parts = (withoutTime ? [key[0] ?? '', key[2] ?? ''] : key).map((part) => Buffer.from(keyPart(part), 'utf8'))
  let length = TIME_BYTES + 1
  for (const part of parts) {
    length += part.length + 1
    for (const byte of part) if (byte <= 1) length += 1
  }
  const bytes = Buffer.allocUnsafe(length)
  bytes.writeBigUInt64BE(time, 0)
  bytes[TIME_BYTES] = withoutTime ? WITHOUT_TIME : EVERY_PART
  let offset = TIME_BYTES + 1
  for (const part of parts) {
    for (const byte of part) {
      if (byte <= 1) bytes[offset++] = 1
      bytes[offset++] = byte <= 1 ? byte + 1 : byte
    }
    bytes[offset++] = 0
  }
  return bytes
}

/** A record's entry in its collection's search index: its key, and its digest as the value. */
export interface SearchIndexEntry {
  readonly key: Buffer
  readonly value: Uint8Array
}

/** A record's search entry. */
export function searchEntry(collection: SearchedCollection, key: RecordKey, record: SearchedRecord): SearchIndexEntry {
  return { key: searchKey(collection, record.at, key), value: searchDigest(collection, record) }
}

/**
 * The search entry of each planned record of a searched collection, by the record's place among
 * `writes` (undefined for the others): made once, for the room a write needs and then for its put.
 */
export function searchEntries(writes: readonly PlannedRecord[]): readonly (SearchIndexEntry | undefined)[] {
  const entries = new Array<SearchIndexEntry | undefined>(writes.length)
  for (let index = 0; index < writes.length; index++) {
    const write = writes[index]
    entries[index] = write !== undefined && isSearched(write.collection) ? searchEntry(write.collection, write.key, write.record as SearchedRecord) : undefined
  }
  return entries
}

/** The bytes a search entry takes, key and value. */
export function searchEntrySize(entry: SearchIndexEntry): number {
  return entry.key.length + entry.value.length
}

/**
 * Inside the caller's write transaction: puts a record's search entry (`entry`, when made
 * already), removing the one its earlier version had under another time.
 */
export function putSearchEntry(tables: SearchTables, collection: SearchedCollection, key: RecordKey, record: SearchedRecord, previous: SearchedRecord | undefined, entry?: SearchIndexEntry): void {
  const table = tables[collection]
  if (table === undefined) return
  if (previous !== undefined && previous.at !== record.at) table.removeSync(searchKey(collection, previous.at, key))
  const made = entry ?? searchEntry(collection, key, record)
  table.putSync(made.key, made.value)
}

/** Inside the caller's write transaction: removes a stored record's search entry. */
export function removeSearchEntry(tables: SearchTables, collection: SearchedCollection, key: RecordKey, stored: SearchedRecord): void {
  tables[collection]?.removeSync(searchKey(collection, stored.at, key))
}

/**
 * The search indexes opened again to be read without a copy of any entry (see
 * {@link searchReadOptions}): keys as one-byte strings, values as views of lmdb-js's read buffer.
 * Read-only, a table is undefined in a database of schema 2.
 */
export type SearchReads = Readonly<Record<SearchedCollection, Database<Uint8Array> | undefined>>

/**
 * Options that open a search index again to be read alone, lmdb-js copying nothing: a range
 * otherwise copies every key and every value into a Buffer of its own — two array buffers an
 * entry, which a search of 8,000 entries then keeps alive. Keys are written as the index writes
 * them (raw bytes) and read as a one-byte string, a byte a character; a value is given as a view
 * of the bytes lmdb-js read it into, good until the range moves on. Not for writes.
 */
export function searchReadOptions(name: string): { name: string; keyEncoder: object; encoder: object; create: false } {
  return { name, keyEncoder: RAW_KEYS, encoder: VALUE_VIEWS, create: false }
}

const RAW_KEYS = {
  writeKey: (key: Uint8Array, target: Uint8Array, start: number): number => {
    target.set(key, start)
    return start + key.length
  },
  // Buffer's own latin1Slice, which `toString('latin1', …)` calls after working out the encoding: thousands of calls a search.
  readKey: (source: Buffer, start: number, end: number): string => (source as Buffer & Latin1Slice).latin1Slice(start, end),
}

/** Node's Buffer method that reads bytes as a one-byte string (under `toString('latin1')`; not in its types). */
interface Latin1Slice {
  latin1Slice(start: number, end: number): string
}

const VALUE_VIEWS = {
  encode: (): never => {
    throw new TypeError('A search index opened for reads takes no writes.')
  },
  decode: (bytes: Uint8Array, size: number): Uint8Array => new Uint8Array(bytes.buffer, bytes.byteOffset, size),
}

/**
 * Gives `visit` the search entries of a collection, newest first, between the query's `since`
 * (inclusive) and `until` (exclusive), at most its `limit`: each as an entry whose key and time
 * are decoded only when asked for (a search asks it of its hits alone), and its digest as a view
 * of lmdb-js's read buffer, good only during the call (see `SearchEntryVisitor`).
 * @throws {TrackerError} DAMAGED_RECORD for an entry whose value is no digest (a damaged page).
 */
export function visitSearchEntries(table: Database<Uint8Array>, name: string, query: RecordQuery, visit: SearchEntryVisitor): void {
  if (query.limit === 0) return
  const start = query.until === undefined ? ABOVE_EVERY_KEY : timePrefix(query.until)
  const end = query.since === undefined ? BELOW_EVERY_KEY : timePrefix(query.since)
  for (const { key, value } of table.getRange({ start, end, reverse: true, ...(query.limit === undefined ? {} : { limit: query.limit }) })) {
    // Read through searchReadOptions' key encoder: a one-byte string.
    const bytes = key as string
    const problem = digestProblem(value)
    if (problem !== undefined) throw damagedEntry(name, Buffer.from(bytes, 'latin1'), problem)
    visit(new StoredEntry(bytes), value)
  }
}

function damagedEntry(name: string, key: Buffer, problem: string): TrackerError {
  return new TrackerError('DAMAGED_RECORD', `The search index ${name} holds a damaged entry (${problem}, under ${keyParts(key).join(' ')}): the database file is probably damaged there.`)
}

/**
 * An entry as read: its key's bytes as a one-byte string (no array buffer), its key and time
 * decoded when asked for (one object, no closures: a search makes thousands).
 */
class StoredEntry implements SearchEntry {
  readonly #key: string
  constructor(key: string) {
    this.#key = key
  }

  key(): string[] {
    return keyParts(Buffer.from(this.#key, 'latin1'))
  }

  at(): string {
    const key = this.#key
    const high = key.charCodeAt(0) * 2 ** 24 + ((key.charCodeAt(1) << 16) | (key.charCodeAt(2) << 8) | key.charCodeAt(3))
    const time = high * 2 ** 32 + key.charCodeAt(4) * 2 ** 24 + ((key.charCodeAt(5) << 16) | (key.charCodeAt(6) << 8) | key.charCodeAt(7))
    // Exact below 2⁵³: every time before the year 13,000 or so; any other through BigInt.
    return time <= Number.MAX_SAFE_INTEGER ? new Date(time - EPOCH_OFFSET_MS).toISOString() : isoOf(Buffer.from(key, 'latin1').readBigUInt64BE(0))
  }
}

/** The parts of a record's key, as stored, from its search key. */
export function keyParts(key: Uint8Array): string[] {
  const parts: string[] = []
  let part: number[] = []
  for (let offset = TIME_BYTES + 1; offset < key.length; offset++) {
    const byte = key[offset] ?? 0
    if (byte === 0) {
      parts.push(Buffer.from(part).toString('utf8'))
      part = []
    } else if (byte === 1) {
      part.push((key[++offset] ?? 1) - 1)
    } else {
      part.push(byte)
    }
  }
  if (key[TIME_BYTES] === WITHOUT_TIME && key.length >= TIME_BYTES) parts.splice(1, 0, isoOf(Buffer.from(key.buffer, key.byteOffset, TIME_BYTES).readBigUInt64BE(0)))
  return parts
}

/** The key every entry of a time at or after `at` sorts at or after (and every earlier one before). */
function timePrefix(at: string): Buffer {
  const bytes = Buffer.alloc(TIME_BYTES)
  bytes.writeBigUInt64BE(timeOf(at), 0)
  return bytes
}

const ABOVE_EVERY_KEY = Buffer.alloc(TIME_BYTES + 1, 0xff)
/** Where a range newest first ends without a `since`: lmdb-js's own end for keys of raw bytes. */
const BELOW_EVERY_KEY = Buffer.from([0])

/** A time as its key bytes' number: an unreadable time (none is stored) sorts first. */
function timeOf(at: string): bigint {
  const ms = Date.parse(at)
  return Number.isNaN(ms) ? 0n : BigInt(ms) + EPOCH_OFFSET
}

function isoOf(time: bigint): string {
  return new Date(Number(time - EPOCH_OFFSET)).toISOString()
}

/**
 * Inside the caller's write transaction: builds the search indexes from every record of the
 * searched collections (emptying them first), and marks them in step through the last fact.
 */
export function buildSearchIndexes(db: QueryTables): number {
  let entries = 0
  for (const collection of SEARCHED_COLLECTIONS) {
    const table = db.search[collection]
    if (table === undefined) continue
    table.clearSync()
    for (const { key, value } of db.tables[collection].getRange({ snapshot: false })) {
      // The table's shared structures are kept under a key of their own, not a record's.
      if (!Array.isArray(key)) continue
      const entry = searchEntry(collection, key as string[], value)
      table.putSync(entry.key, entry.value)
      entries += 1
    }
  }
  db.meta.putSync(SEARCHED_THROUGH_KEY, lastSeq(db))
  db.meta.removeSync(SEARCH_BUILD_KEY)
  forgetEarlierMarks(db)
  return entries
}

/** Removes the marks and builds of the search indexes that releases cutting words another way kept. */
function forgetEarlierMarks(db: QueryTables): void {
  for (const key of EARLIER_SEARCH_MARK_KEYS) db.meta.removeSync(key)
}

/** Where a search-index build under way stopped (kept in `meta`, see {@link SEARCH_BUILD_KEY}). */
interface SearchBuildCursor {
  /** The collection being read: its place in `SEARCHED_COLLECTIONS`. */
  readonly collection: number
  /** The key of the last record of it given its entry; null before the first. */
  readonly after: readonly string[] | null
  /** Records given their entries so far. */
  readonly built: number
  /**
   * The fact sequence number through which every batch since the build (or its pass) started was
   * written by a release that keeps this build's words (see `noteBuildWrite`). A process of an
   * earlier release writes without it: its records may hold entries with words cut its way behind
   * the build's cursor, so the build takes another pass. Undefined in a cursor of a release that did
   * not keep it (the same: another pass).
   */
  readonly writtenThrough?: number
}

/** How far a search-index build has come: records given their entries, of those the searched collections hold. */
export interface SearchBuildProgress {
  readonly built: number
  readonly total: number
  /** True once every record has its entry and the indexes are in step. */
  readonly done: boolean
}

/**
 * Inside the caller's write transaction: empties the search indexes and starts a build of them
 * that {@link continueSearchBuild} carries on a few records at a time. Until it is done the
 * indexes are not in step, so a search reads the records; every write meanwhile keeps the entries
 * of the records it writes, as always, so a record written ahead of the build has its entry
 * already (the build puts the same again) and one removed ahead of it is never read.
 */
export function startSearchBuild(db: QueryTables): void {
  for (const collection of SEARCHED_COLLECTIONS) db.search[collection]?.clearSync()
  db.meta.removeSync(SEARCHED_THROUGH_KEY)
  forgetEarlierMarks(db)
  db.meta.putSync(SEARCH_BUILD_KEY, { collection: 0, after: null, built: 0, writtenThrough: lastSeq(db) } satisfies SearchBuildCursor)
}

/**
 * Inside the caller's write transaction, after it appended the facts `firstSeq` to `lastSeq` to
 * the log: while a build is under way, moves on how far every batch was written by this release
 * (see {@link SearchBuildCursor.writtenThrough}), unless a batch of another release came between.
 */
export function noteBuildWrite(db: QueryTables, firstSeq: number, last: number): void {
  const cursor = db.meta.get(SEARCH_BUILD_KEY) as Partial<SearchBuildCursor> | null | undefined
  if (cursor?.writtenThrough !== firstSeq - 1) return
  db.meta.putSync(SEARCH_BUILD_KEY, { ...cursor, writtenThrough: last })
}

/** The progress of a search-index build under way; undefined when none is (see {@link startSearchBuild}). */
export function searchBuildProgress(db: QueryTables): SearchBuildProgress | undefined {
  const cursor = searchBuildCursor(db)
  return cursor === undefined ? undefined : { built: cursor.built, total: searchedRecords(db), done: false }
}

/**
 * Inside the caller's write transaction: gives up to `limit` more records their search entries,
 * from where the build stopped; the step that reaches the end marks the indexes in step through
 * the last fact. `ensureRoom` sees the entries' sizes per index before anything is put, and may
 * refuse them (the size limit). Without a build under way, nothing happens.
 */
export function continueSearchBuild(db: QueryTables, limit: number, ensureRoom: (writes: readonly TreeWrites[]) => void): SearchBuildProgress {
  const cursor = searchBuildCursor(db)
  if (cursor === undefined) return { built: 0, total: searchedRecords(db), done: true }
  let { collection, after } = cursor
  const entries: { table: Database<Uint8Array, Uint8Array>; key: Buffer; value: Uint8Array }[] = []
  while (collection < SEARCHED_COLLECTIONS.length && entries.length < limit) {
    const name = SEARCHED_COLLECTIONS[collection]
    const table = name === undefined ? undefined : db.search[name]
    let ended = true
    if (name !== undefined && table !== undefined) {
      for (const { key, value } of db.tables[name].getRange({ ...(after === null ? {} : { start: after as string[] }), snapshot: false })) {
        // The table's shared structures are kept under a key of their own, not a record's; the range starts at the last record read.
        if (!Array.isArray(key) || (after !== null && sameKey(key as string[], after))) continue
        if (entries.length === limit) {
          ended = false
          break
        }
        entries.push({ table, ...searchEntry(name, key as string[], value) })
        after = key as string[]
      }
    }
    if (!ended) break
    collection += 1
    after = null
  }
  const trees = new Map<Database<Uint8Array, Uint8Array>, { entries: number; bytes: number }>()
  for (const { table, key, value } of entries) {
    const known = trees.get(table) ?? { entries: 0, bytes: 0 }
    trees.set(table, { entries: known.entries + 1, bytes: known.bytes + key.length + value.length })
  }
  ensureRoom([...trees].map(([tree, size]) => ({ tree, ...size })))
  for (const { table, key, value } of entries) table.putSync(key, value)
  const built = cursor.built + entries.length
  const through = lastSeq(db)
  if (collection >= SEARCHED_COLLECTIONS.length) {
    if (cursor.writtenThrough !== through) {
      // A process of another release wrote since the pass began: a record of its behind the cursor
      // may hold an entry with words cut its way. Another pass puts every entry again, this
      // release's way (entries are replaced, not emptied first: searches read the records meanwhile).
      db.meta.putSync(SEARCH_BUILD_KEY, { collection: 0, after: null, built: 0, writtenThrough: through } satisfies SearchBuildCursor)
      return { built: 0, total: searchedRecords(db), done: false }
    }
    db.meta.removeSync(SEARCH_BUILD_KEY)
    db.meta.putSync(SEARCHED_THROUGH_KEY, through)
    return { built, total: searchedRecords(db), done: true }
  }
  db.meta.putSync(SEARCH_BUILD_KEY, { collection, after, built, ...(cursor.writtenThrough === undefined ? {} : { writtenThrough: cursor.writtenThrough }) } satisfies SearchBuildCursor)
  return { built, total: searchedRecords(db), done: false }
}

/**
 * Whether the search indexes hold words as a release that cut them another way wrote them (see
 * `SEARCH_WORDS_VERSION` in core) and no build of this release's has started: a database this
 * release has not written to yet. Its first writable open starts a build (see `checkSchemaVersion`).
 */
export function searchWordsOutdated(db: QueryTables): boolean {
  return SEARCHED_COLLECTIONS.every((collection) => db.search[collection] !== undefined) && db.meta.get(SEARCHED_THROUGH_KEY) === undefined && db.meta.get(SEARCH_BUILD_KEY) === undefined
}

/** The build's cursor; a garbled one starts the build again from the first record (putting an entry twice changes nothing). */
function searchBuildCursor(db: QueryTables): SearchBuildCursor | undefined {
  const value = db.meta.get(SEARCH_BUILD_KEY) as Partial<SearchBuildCursor> | null | undefined
  if (value === undefined) return undefined
  const { collection, after, built, writtenThrough } = value ?? {}
  const wellFormed = Number.isInteger(collection) && (collection ?? -1) >= 0 && (collection ?? 0) <= SEARCHED_COLLECTIONS.length
    && (after === null || (Array.isArray(after) && after.every((part) => typeof part === 'string')))
    && Number.isInteger(built) && (built ?? -1) >= 0
    && (writtenThrough === undefined || Number.isInteger(writtenThrough))
  // A garbled one does not know who wrote since: the pass it starts is not the last (see continueSearchBuild).
  return wellFormed ? (value as SearchBuildCursor) : { collection: 0, after: null, built: 0 }
}

function sameKey(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((part, index) => part === b[index])
}

/** Records in the searched collections. */
function searchedRecords(db: QueryTables): number {
  return SEARCHED_COLLECTIONS.reduce((sum, collection) => sum + recordCount(db.tables[collection]), 0)
}

/**
 * Whether the search indexes hold an entry for every record, as of the last write: every batch of
 * facts was written by a release that keeps them (see {@link SEARCHED_THROUGH_KEY}), and each holds
 * as many entries as its table holds records. When not, a search reads the records instead, and
 * `doctor` says so (`doctor --repair` rebuilds them).
 */
export function searchIndexesInStep(db: QueryTables): boolean {
  if (db.meta.get(SEARCHED_THROUGH_KEY) !== lastSeq(db)) return false
  // A release that cut words another way marked them since (its doctor --repair rebuilt them its way).
  if (EARLIER_SEARCH_MARK_KEYS.some((key) => db.meta.get(key) !== undefined)) return false
  return SEARCHED_COLLECTIONS.every((collection) => {
    const index = db.search[collection]
    return index !== undefined && entryCount(index) === recordCount(db.tables[collection])
  })
}

function lastSeq(db: QueryTables): number {
  const value = db.meta.get(LAST_FACT_SEQ_KEY)
  return typeof value === 'number' ? value : 0
}

function entryCount(table: { getStats(): unknown }): number {
  return (table.getStats() as { entryCount: number }).entryCount
}

/** Records in a table: its entries less the one of its shared structures. */
function recordCount(table: { getStats(): unknown; doesExist(key: typeof STRUCTURES_KEY): boolean }): number {
  return entryCount(table) - (table.doesExist(STRUCTURES_KEY) ? 1 : 0)
}

/**
 * Every searched record whose entry in its search index is missing or holds another digest than
 * {@link searchEntry} makes of it now: how many, and the first `list` (see `LmdbStore.searchEntriesOutOfStep`).
 */
export function staleSearchEntries(db: QueryTables, list: number): { count: number; first: { collection: SearchedCollection; key: string[] }[] } {
  let count = 0
  const first: { collection: SearchedCollection; key: string[] }[] = []
  for (const collection of SEARCHED_COLLECTIONS) {
    const index = db.search[collection]
    if (index === undefined) continue
    for (const { key, value } of db.tables[collection].getRange({ snapshot: false })) {
      if (!Array.isArray(key)) continue
      const entry = searchEntry(collection, key as string[], value)
      const stored = index.get(entry.key)
      if (stored !== undefined && Buffer.compare(Buffer.from(stored), Buffer.from(entry.value)) === 0) continue
      count += 1
      if (first.length < list) first.push({ collection, key: key as string[] })
    }
  }
  return { count, first }
}
