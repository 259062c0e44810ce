import { join } from 'node:path'
import { SCHEMA_VERSION } from '@agent-tracker/core'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { isLmdbStoreError } from './errors.js'
import { META, SCHEMA_VERSION_KEY } from './layout.js'
import { openLmdbStore } from './open-lmdb-store.js'

/** Reads or writes the meta sub-database with plain lmdb, bypassing the store. */
async function withRawMeta<T>(databasePath: string, readOnly: boolean, body: (meta: ReturnType<ReturnType<typeof open>['openDB']>) => T): Promise<T> {
  const root = open({ path: databasePath, noSubdir: true, maxDbs: 16, readOnly, overlappingSync: false })
  try {
    return body(root.openDB({ name: META }))
  } finally {
    await root.close()
  }
}

function openError(databasePath: string, readOnly = false): unknown {
  try {
    openLmdbStore({ databasePath, readOnly })
  } catch (error) {
    return error
  }
  throw new Error('expected openLmdbStore to throw')
}

describe('the schema version in meta', () => {
  it('is written to disk when a database is created', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await openLmdbStore({ databasePath }).close()
    expect(await withRawMeta(databasePath, true, (meta) => meta.get(SCHEMA_VERSION_KEY))).toBe(SCHEMA_VERSION)
  })

  it.each([[SCHEMA_VERSION + 1], [SCHEMA_VERSION + 7]])('refuses a database of a newer schema (%i), read-only or not, and leaves it as it was', async (stored) => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await openLmdbStore({ databasePath }).close()
    await withRawMeta(databasePath, false, (meta) => {
      meta.putSync(SCHEMA_VERSION_KEY, stored)
    })
    for (const readOnly of [false, true]) {
      const error = openError(databasePath, readOnly)
      expect(isLmdbStoreError(error, 'DATABASE_TOO_NEW')).toBe(true)
      expect((error as Error).message).toBe(`The agent-tracker database ${databasePath} has schema version ${String(stored)}, newer than this release understands (${String(SCHEMA_VERSION)}). Upgrade agent-tracker.`)
    }
    expect(await withRawMeta(databasePath, true, (meta) => meta.get(SCHEMA_VERSION_KEY))).toBe(stored)
  })

  it('refuses a schema version that is not a whole number rather than overwriting it', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await openLmdbStore({ databasePath }).close()
    await withRawMeta(databasePath, false, (meta) => {
      meta.putSync(SCHEMA_VERSION_KEY, 'two')
    })
    const error = openError(databasePath)
    expect(isLmdbStoreError(error, 'DATABASE_UNREADABLE')).toBe(true)
    expect((error as Error).message).toBe(`The agent-tracker database ${databasePath} has an unreadable schema version ("two"); a whole number ≥ 1 is expected. Nothing was changed.`)
    expect(await withRawMeta(databasePath, true, (meta) => meta.get(SCHEMA_VERSION_KEY))).toBe('two')
  })
})
