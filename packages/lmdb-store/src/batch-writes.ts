import type { CollectionName, CollectionRecords, RecordKey } from '@agent-tracker/core'
import type { PlannedRecord, RecordReader } from '@agent-tracker/core/store'
import { recordSlot } from '@agent-tracker/core/store'
import type { Database } from 'lmdb'
import { commitIndexKey, toLmdbKey } from './layout.js'
import type { QueryTables } from './record-queries.js'

/** A reader of the write transaction that also tells what a key held before the batch, if it read it. */
export interface TransactionReader extends RecordReader {
  /** The stored record read for this key, `undefined` if absent, or `unread` if never read. */
  storedBefore<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined | typeof UNREAD
}

/** What {@link TransactionReader.storedBefore} says about a key the batch never read. */
export const UNREAD = Symbol('unread')

/**
 * A reader for planning inside the write transaction that reads each key once, absent keys
 * included (planning asks again for records it has not written yet, e.g. a retrospective).
 */
export function createTransactionReader(db: QueryTables): TransactionReader {
  const seen = new Map<string, unknown>()
  return {
    get<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined {
      const slot = recordSlot(collection, key)
      if (seen.has(slot)) return seen.get(slot) as CollectionRecords[C] | undefined
      const record = (db.tables[collection] as Database<CollectionRecords[C]>).get(toLmdbKey(key))
      seen.set(slot, record)
      return record
    },
    storedBefore<C extends CollectionName>(collection: C, key: RecordKey): CollectionRecords[C] | undefined | typeof UNREAD {
      const slot = recordSlot(collection, key)
      return seen.has(slot) ? (seen.get(slot) as CollectionRecords[C] | undefined) : UNREAD
    },
  }
}

/**
 * Puts planned records inside the caller's write transaction and keeps the by-setup commit index
 * in step (a commit whose setup or time changed leaves its old entry). The stored version of a
 * commit comes from `reader` when planning read it, so it is not read twice.
 */
export function putRecords(db: QueryTables, writes: readonly PlannedRecord[], reader?: TransactionReader): void {
  for (const write of writes) {
    const key = toLmdbKey(write.key)
    if (write.collection === 'commits') {
      // Not `??`: a commit planning found absent is `undefined`, and known.
      const known = reader === undefined ? UNREAD : reader.storedBefore('commits', write.key)
      const previous = known === UNREAD ? db.tables.commits.get(key) : known
      if (previous !== undefined && (previous.setup !== write.record.setup || previous.at !== write.record.at)) db.commitIndex.removeSync(commitIndexKey(previous))
      db.commitIndex.putSync(commitIndexKey(write.record), true)
    }
    ;(db.tables[write.collection] as Database<unknown>).putSync(key, write.record)
  }
}
