import type { CollectionName, CollectionRecords, RecordKey } from '@agent-tracker/core'
import { open } from 'lmdb'
import { checkDataFile, locateDataFile } from './data-file.js'
import { LmdbStoreError } from './errors.js'
import { STRUCTURES_KEY, SUB_DATABASES, toLmdbKey } from './layout.js'

/**
 * Reads one record without opening the store, for a process that reads one thing and exits (a
 * hook's halt check): checks the data file as the store does before LMDB maps it, opens the
 * environment read-only, gets the record by its key and closes. Loads LMDB and nothing of the
 * store's planning. Undefined when the database or the record is not there.
 * @throws {LmdbStoreError} DATABASE_UNREADABLE for a file that fails its check or that LMDB refuses.
 */
export function peekRecord<C extends CollectionName>(databasePath: string, collection: C, key: RecordKey): CollectionRecords[C] | undefined {
  const { dataFile, noSubdir } = locateDataFile(databasePath)
  const check = checkDataFile(dataFile)
  if (!check.ok) throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${dataFile} is unreadable: ${check.problem}. Nothing was opened or changed.`, { path: dataFile, reason: check.damaged ? 'damaged' : 'open' })
  if (!check.exists) return undefined
  let root
  try {
    root = open({ path: databasePath, noSubdir, maxDbs: 32, readOnly: true })
  } catch (error) {
    throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${dataFile} cannot be opened: ${(error as Error).message}.`, { path: dataFile, reason: 'open' }, { cause: error })
  }
  try {
    // Records keep their field names as shared structures: the table must know where they are.
    return root.openDB({ name: SUB_DATABASES[collection], sharedStructuresKey: STRUCTURES_KEY }).get(toLmdbKey(key)) as CollectionRecords[C] | undefined
  } finally {
    void root.close()
  }
}
