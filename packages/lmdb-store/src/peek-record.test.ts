import { join } from 'node:path'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { openLmdbStore } from './open-lmdb-store.js'
import { META } from './layout.js'
import { peekRecord } from './peek-record.js'

describe('peekRecord', () => {
  it('reads the record the store holds, while the store is open for writing, and nothing where there is none', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    expect(peekRecord(databasePath, 'setups', ['build'])).toBeUndefined()
    const store = openLmdbStore({ databasePath })
    try {
      await store.applyFacts([{ kind: 'bug', id: 'b1', at: '2026-01-01T00:00:00.000Z', setup: 'build', project: '/p', by: 'user' }])
      expect(peekRecord(databasePath, 'setups', ['build'])).toEqual(await store.get('setups', ['build']))
      expect(peekRecord(databasePath, 'setups', ['other'])).toBeUndefined()
    } finally {
      await store.close()
    }
  })

  it('finds nothing, without failing, in a database another process is still creating (its tables come a commit at a time)', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    // What a writer's first commits leave: the file and its meta table, no record table yet.
    const root = open({ path: databasePath, noSubdir: true, maxDbs: 32 })
    await root.openDB({ name: META }).put('schemaVersion', 2)
    await root.close()
    expect(peekRecord(databasePath, 'setups', ['build'])).toBeUndefined()
  })
})
