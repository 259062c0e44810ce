import type { RootDatabase } from 'lmdb'
import { PAGE_HEADER_SIZE } from './lmdb-format.js'
import { databaseFullError } from './store-errors.js'

/** LMDB's per-entry cost beside the value: node header, slot and a generous key. */
const ENTRY_OVERHEAD = 256

/**
 * Refuses, inside the write transaction, a batch that could push the file past `limit`: lmdb-js
 * grows its map on demand, so LMDB itself never says MDB_MAP_FULL. The committed size already
 * includes every other process's writes. Counts two fresh pages per record (copy-on-write of its
 * leaf and branch) plus an upper bound of the record's encoded size, so even one huge record
 * cannot slip past.
 * @throws {LmdbStoreError} DATABASE_FULL; the caller's transaction then rolls back.
 */
export function ensureRoom(root: RootDatabase, limit: number, path: string, records: readonly unknown[]): void {
  const stats = root.getStats() as { pageSize: number; lastPageNumber: number }
  const { pageSize } = stats
  const used = (stats.lastPageNumber + 1) * pageSize
  let needed = used + records.length * 2 * pageSize
  for (const record of records) {
    const size = encodedSizeBound(record) + ENTRY_OVERHEAD
    // A value too big for a leaf goes to whole overflow pages.
    needed += size > pageSize / 2 ? Math.ceil((size + PAGE_HEADER_SIZE) / pageSize) * pageSize : size
    if (needed > limit) throw databaseFullError(path, used, limit)
  }
}

/**
 * An upper bound of a value's msgpack size: a string's UTF-8 bytes (at most 3 per UTF-16 unit),
 * 9 per number, 5 bytes of header per string, array or map, keys included.
 */
export function encodedSizeBound(value: unknown): number {
  switch (typeof value) {
    case 'string':
      // Short strings: the UTF-8 worst case costs nothing to assume. Long ones: count exactly.
      return 5 + (value.length < 256 ? 3 * value.length : Buffer.byteLength(value, 'utf8'))
    case 'number':
    case 'bigint':
      return 9
    case 'object': {
      if (value === null) return 1
      let size = 5
      if (Array.isArray(value)) {
        for (const item of value as unknown[]) size += encodedSizeBound(item)
        return size
      }
      // for…in, not Object.entries: this runs for every record of every batch. Records are plain data.
      const fields = value as Record<string, unknown>
      for (const key in fields) size += 5 + 3 * key.length + encodedSizeBound(fields[key])
      return size
    }
    default:
      return 9
  }
}
