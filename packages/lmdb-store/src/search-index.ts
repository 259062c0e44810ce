import type { RecordKey, RecordQuery } from '@agent-tracker/core'
import type { SearchEntry, SearchedCollection, SearchedRecord } from '@agent-tracker/core/store'
import { SEARCHED, digestLength, searchDigest } from '@agent-tracker/core/store'
import type { Database } from 'lmdb'
import type { QueryTables } from './record-queries.js'
import { keyPart } from './layout.js'

/** The collections with a search index. */
export const SEARCHED_COLLECTIONS = Object.keys(SEARCHED) as readonly SearchedCollection[]

/** Whether a collection has a search index. */
export function isSearched(collection: string): collection is SearchedCollection {
  return Object.hasOwn(SEARCHED, collection)
}

/**
 * A collection's search index: each record's search digest (see `searchDigest` in core) in time
 * order, so a prior-art search reads a few bytes a record, contiguously, instead of every record.
 * Keys and values are raw bytes, decoded by hand: a string decoded per entry cost more than the rest.
 * - key: its time (milliseconds since 1970, 6 bytes, big-endian), then each part of its key as
 *   stored (see `keyPart`): its UTF-8 with bytes 0 and 1 written as 1 1 and 1 2, then a 0 — keys
 *   of one time sort as the parts themselves do;
 * - value: its digest, then its project's path (UTF-8).
 * Read-only, a table is undefined in a database of schema 2, written before the index.
 */
export type SearchTables = Readonly<Record<SearchedCollection, Database<Uint8Array, Uint8Array> | undefined>>

const TIME_BYTES = 6
/** Times are kept from 1970 up to 2^48 ms (the year 10889); earlier ones sort as 1970. */
const LATEST = 2 ** 48 - 1

/** A record's key in its collection's search index. */
export function searchKey(at: string, key: RecordKey): Buffer {
  const parts = key.map((part) => Buffer.from(keyPart(part), 'utf8'))
  let length = TIME_BYTES
  for (const part of parts) {
    length += part.length + 1
    for (const byte of part) if (byte <= 1) length += 1
  }
  const bytes = Buffer.allocUnsafe(length)
  bytes.writeUIntBE(timeOf(at), 0, TIME_BYTES)
  let offset = TIME_BYTES
  for (const part of parts) {
    for (const byte of part) {
      if (byte <= 1) bytes[offset++] = 1
      bytes[offset++] = byte <= 1 ? byte + 1 : byte
    }
    bytes[offset++] = 0
  }
  return bytes
}

/**
 * A record's value in its collection's search index. Made once per record object: the room a
 * write needs is worked out from it before the write puts it.
 */
export function searchValue(collection: SearchedCollection, record: SearchedRecord): Buffer {
  const known = values.get(record)
  if (known !== undefined) return known
  const digest = searchDigest(collection, record)
  const project = Buffer.from(record.project, 'utf8')
  const bytes = Buffer.allocUnsafe(digest.length + project.length)
  bytes.set(digest, 0)
  project.copy(bytes, digest.length)
  values.set(record, bytes)
  return bytes
}

const values = new WeakMap<SearchedRecord, Buffer>()

/** The bytes a record's search entry takes, key and value. */
export function searchEntrySize(collection: SearchedCollection, key: RecordKey, record: SearchedRecord): number {
  return searchKey(record.at, key).length + searchValue(collection, record).length
}

/**
 * Inside the caller's write transaction: puts a record's search entry, removing the one its
 * earlier version had under another time.
 */
export function putSearchEntry(tables: SearchTables, collection: SearchedCollection, key: RecordKey, record: SearchedRecord, previous: SearchedRecord | undefined): void {
  const table = tables[collection]
  if (table === undefined) return
  const entryKey = searchKey(record.at, key)
  if (previous !== undefined && previous.at !== record.at) table.removeSync(searchKey(previous.at, key))
  table.putSync(entryKey, searchValue(collection, record))
}

/** Inside the caller's write transaction: removes a stored record's search entry. */
export function removeSearchEntry(tables: SearchTables, collection: SearchedCollection, key: RecordKey, stored: SearchedRecord): void {
  tables[collection]?.removeSync(searchKey(stored.at, key))
}

/**
 * The search entries of a collection, newest first, between the query's `since` (inclusive) and
 * `until` (exclusive), at most its `limit`. Each entry's key, project and time are decoded only
 * when asked for: a search asks it of its hits alone.
 */
export function findSearchEntries(table: Database<Uint8Array, Uint8Array>, query: RecordQuery): SearchEntry[] {
  const found: SearchEntry[] = []
  if (query.limit === 0) return found
  const start = query.until === undefined ? ABOVE_EVERY_KEY : timePrefix(query.until)
  const end = query.since === undefined ? undefined : timePrefix(query.since)
  for (const { key, value } of table.getRange({ start, ...(end === undefined ? {} : { end }), reverse: true, ...(query.limit === undefined ? {} : { limit: query.limit }) })) {
    found.push(new StoredEntry(key as Buffer, value as Buffer))
  }
  return found
}

/** An entry as read: its digest in place, the rest decoded when asked for (one object, no closures: a search makes thousands). */
class StoredEntry implements SearchEntry {
  readonly digest: Uint8Array
  readonly #key: Buffer
  readonly #value: Buffer
  constructor(key: Buffer, value: Buffer) {
    this.#key = key
    this.#value = value
    this.digest = value.subarray(0, digestLength(value))
  }

  key(): string[] {
    return keyParts(this.#key)
  }

  project(): string {
    return this.#value.toString('utf8', this.digest.length)
  }

  at(): string {
    return new Date(this.#key.readUIntBE(0, TIME_BYTES)).toISOString()
  }
}

/** The parts of a record's key, as stored, from its search key. */
export function keyParts(key: Uint8Array): string[] {
  const parts: string[] = []
  let part: number[] = []
  for (let offset = TIME_BYTES; offset < key.length; offset++) {
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
  return parts
}

/** The key every entry of a time at or after `at` sorts at or after (and every earlier one before). */
function timePrefix(at: string): Buffer {
  const bytes = Buffer.alloc(TIME_BYTES)
  bytes.writeUIntBE(timeOf(at), 0, TIME_BYTES)
  return bytes
}

const ABOVE_EVERY_KEY = Buffer.alloc(TIME_BYTES + 1, 0xff)

function timeOf(at: string): number {
  const ms = Date.parse(at)
  return Number.isNaN(ms) || ms < 0 ? 0 : Math.min(ms, LATEST)
}

/**
 * Inside the caller's write transaction: builds the search indexes of a database of schema 2,
 * which had none, from every record of the searched collections.
 */
export function buildSearchIndexes(db: QueryTables): void {
  for (const collection of SEARCHED_COLLECTIONS) {
    const table = db.search[collection]
    if (table === undefined) continue
    for (const { key, value } of db.tables[collection].getRange({ snapshot: false })) {
      // The table's shared structures are kept under a key of their own, not a record's.
      if (!Array.isArray(key)) continue
      const record = value as SearchedRecord
      table.putSync(searchKey(record.at, key as string[]), searchValue(collection, record))
    }
  }
}
