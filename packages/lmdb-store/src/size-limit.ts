import type { Fact } from '@agent-tracker/core'
import type { PlannedRecord } from '@agent-tracker/core/store'
import type { Database, RootDatabase } from 'lmdb'
import { SECONDARY_INDEXES } from './indexes.js'
import type { SearchIndexEntry } from './search-index.js'
import { searchEntrySize } from './search-index.js'
import { PAGE_HEADER_SIZE } from './lmdb-format.js'
import { databaseFullError } from './store-errors.js'

/** LMDB's per-entry cost beside the value: node header, slot and a generous key. */
const ENTRY_OVERHEAD = 256

/**
 * Refuses, inside the write transaction, a batch that could push the file past `limit`: lmdb-js
 * grows its map on demand, so LMDB itself never says MDB_MAP_FULL. The committed size already
 * includes every other process's writes. Counts two fresh pages per record (copy-on-write of its
 * leaf and branch) plus an upper bound of the record's encoded size, so even one huge record
 * cannot slip past. `extraBytes` covers what else the batch writes (index entries, the fact log).
 * @throws {LmdbStoreError} DATABASE_FULL; the caller's transaction then rolls back.
 */
export function ensureRoom(root: RootDatabase, limit: number, path: string, records: readonly unknown[], extraBytes = 0): void {
  const stats = root.getStats() as { pageSize: number; lastPageNumber: number }
  const { pageSize } = stats
  const used = (stats.lastPageNumber + 1) * pageSize
  let needed = used + records.length * 2 * pageSize + extraBytes
  if (needed > limit) throw databaseFullError(path, used, limit, { needed: needed - used })
  for (const record of records) {
    const size = encodedSizeBound(record) + ENTRY_OVERHEAD
    // A value too big for a leaf goes to whole overflow pages.
    needed += size > pageSize / 2 ? Math.ceil((size + PAGE_HEADER_SIZE) / pageSize) * pageSize : size
    if (needed > limit) throw databaseFullError(path, used, limit, { needed: needed - used })
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

/** Bytes an index entry or fact id takes at most, beside its key text. */
const SMALL_ENTRY = 64

/**
 * An upper bound of the bytes the fact log and the id index grow by for these facts: each fact's
 * id twice (log and index), and its encoded size (a tool call's is small and fixed-shape).
 */
export function factLogSizeBound(facts: readonly Fact[]): number {
  let bytes = 0
  // By index: this runs once per flush over thousands of facts, mostly before the engine optimises it, where for…of allocates a result per fact.
  // eslint-disable-next-line @typescript-eslint/prefer-for-of
  for (let index = 0; index < facts.length; index++) {
    const fact = facts[index]
    if (fact === undefined) continue
    bytes += 2 * (SMALL_ENTRY + 3 * fact.id.length)
    bytes += fact.kind === 'tool_call' ? SMALL_ENTRY + 3 * fact.tool.length : encodedSizeBound(fact)
  }
  return bytes
}

/**
 * An upper bound of the bytes the secondary and search index entries of these records take;
 * `entries` are their search entries (see `searchEntries`).
 */
export function indexSizeBound(writes: readonly PlannedRecord[], entries: readonly (SearchIndexEntry | undefined)[]): number {
  let bytes = 0
  for (let index = 0; index < writes.length; index++) {
    const write = writes[index]
    if (write === undefined) continue
    const indexes = SECONDARY_INDEXES[write.collection].length
    const keyBytes = SMALL_ENTRY + 3 * write.key.reduce((sum, part) => sum + part.length, 0)
    if (indexes > 0) bytes += indexes * keyBytes
    const entry = entries[index]
    if (entry !== undefined) bytes += SMALL_ENTRY + searchEntrySize(entry)
  }
  return bytes
}

/** Page statistics of one tree, as lmdb-js reports them. */
interface TreeStats {
  readonly treeDepth: number
  readonly treeLeafPageCount: number
}

/** What a batch writes into one tree: how many entries, and how many bytes they take at most. */
export interface TreeWrites {
  readonly tree: Database<unknown>
  readonly entries: number
  readonly bytes: number
}

/**
 * Refuses, inside the write transaction, a batch that would push the file past `limit`, judged by
 * real page use: the room is the limit less the pages the file uses (free pages inside it are not
 * counted: any process's open reader can keep LMDB from reusing them); the need is, for each tree the batch writes, the leaf pages it dirties
 * (each is copied on write: at most one per entry, never more than the tree has, plus a path of
 * branch pages) and new pages for the bytes it adds (pages half full after splits), and overflow
 * pages for values larger than a page.
 * @throws {LmdbStoreError} DATABASE_FULL; the caller's transaction then rolls back.
 */
export function ensureRoomByPages(root: RootDatabase, limit: number, path: string, writes: readonly TreeWrites[]): void {
  const stats = root.getStats() as { pageSize: number; lastPageNumber: number }
  const { pageSize } = stats
  const used = (stats.lastPageNumber + 1) * pageSize
  // Each tree's statistics are a call into LMDB; a batch that fits even with every tree as deep as
  // LMDB allows and every entry on a leaf of its own fits as counted below too, without asking.
  if (used + pagesNeeded(writes, pageSize, () => ({ treeDepth: DEEPEST_TREE, treeLeafPageCount: Number.POSITIVE_INFINITY })) * pageSize <= limit) return
  const pages = pagesNeeded(writes, pageSize, (tree) => tree.getStats() as TreeStats)
  if (used + pages * pageSize > limit) throw databaseFullError(path, used, limit, { needed: pages * pageSize })
}

/** The deepest tree LMDB can hold: its cursors keep a path of at most 32 pages (`CURSOR_STACK`). */
const DEEPEST_TREE = 32

/** The pages a batch dirties and adds at most, given each tree's depth and leaf count (see {@link ensureRoomByPages}). */
function pagesNeeded(writes: readonly TreeWrites[], pageSize: number, statsOf: (tree: Database<unknown>) => TreeStats): number {
  let pages = 2 // the free-page tree LMDB rewrites, and the main tree's root
  let growth = 0
  for (const { tree, entries, bytes } of writes) {
    if (entries === 0) continue
    const { treeDepth, treeLeafPageCount } = statsOf(tree)
    // The path from the root to the first leaf, then one more leaf per entry at most (and their branch pages).
    const leaves = Math.min(entries, treeLeafPageCount + 1)
    pages += Math.max(1, treeDepth) + leaves - 1 + Math.ceil((leaves - 1) / 64)
    // A value over half a page lives on overflow pages of its own; small ones fill leaves, half full after splits.
    if (bytes / entries > pageSize / 2) pages += Math.ceil((bytes + entries * PAGE_HEADER_SIZE) / pageSize)
    else growth += bytes / (pageSize / 2)
  }
  return pages + Math.ceil(growth)
}
