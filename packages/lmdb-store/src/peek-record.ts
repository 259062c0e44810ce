import type { CollectionName, CollectionRecords, RecordKey } from '@agent-tracker/core'
import type { Database, RootDatabase } from 'lmdb'
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
  const root = openReadOnly(databasePath, noSubdir, dataFile)
  try {
    // Records keep their field names as shared structures: the table must know where they are.
    const table = root.openDB({ name: SUB_DATABASES[collection], sharedStructuresKey: STRUCTURES_KEY }) as Database<CollectionRecords[C]> | undefined
    // A database another process is creating has no tables until its first commit (an earlier release made them a commit at a time): one not made yet holds nothing.
    return table?.get(toLmdbKey(key))
  } finally {
    void root.close()
  }
}

/** Opens that go wrong before one is given up: a database another process is creating can refuse a moment (EINVAL). */
const OPEN_ATTEMPTS = 3

/** The environment, opened read-only: tried again after a short wait when LMDB refuses it, as it may while another process creates the file. */
function openReadOnly(databasePath: string, noSubdir: boolean, dataFile: string): RootDatabase {
  for (let attempt = 1; ; attempt++) {
    try {
      return open({ path: databasePath, noSubdir, maxDbs: 32, readOnly: true })
    } catch (error) {
      if (attempt < OPEN_ATTEMPTS) {
        Atomics.wait(PAUSE, 0, 0, 20 * attempt)
        continue
      }
      throw new LmdbStoreError('DATABASE_UNREADABLE', `The agent-tracker database ${dataFile} cannot be opened: ${(error as Error).message}.`, { path: dataFile, reason: 'open' }, { cause: error })
    }
  }
}

/** Something to wait on without a thread to wake it: a pause of a process that reads one record and exits. */
const PAUSE = new Int32Array(new SharedArrayBuffer(4))
