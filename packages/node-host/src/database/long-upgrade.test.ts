import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFactScript } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { writeSchema1Database } from '@agent-tracker/lmdb-store/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { longUpgradeOf } from './long-upgrade.js'

describe('longUpgradeOf', () => {
  it('names the upgrade of a release-0.1.0 database and the records it rewrites, and changes nothing', async () => {
    const path = join(tempFolder(), 'old.lmdb')
    const script = createFactScript({ setup: 'build@anthropic/claude-sonnet-4-5', project: '/home/dev/shop', session: 'ses_1' })
    await writeSchema1Database(path, { facts: [script.activity('a task'), script.toolCall('bash', true), script.commit('5a1c0ffee', 'a change')] })
    const before = readFileSync(path)
    const upgrade = longUpgradeOf(path)
    expect(upgrade?.fromSchema).toBe(1)
    // The records the upgrade rewrites: at least the setup, the project, the commit and the activity.
    expect(upgrade?.records).toBeGreaterThanOrEqual(4)
    expect(readFileSync(path).equals(before)).toBe(true)
    // The same file as a database folder's data.mdb.
    const folder = join(tempFolder(), 'old-folder')
    mkdirSync(folder)
    renameSync(path, join(folder, 'data.mdb'))
    expect(longUpgradeOf(folder)).toEqual(upgrade)
  })

  it('is undefined for a current database, a missing one, a file that is no database and an empty folder', async () => {
    const folder = tempFolder()
    const current = join(folder, 'current.lmdb')
    await openLmdbStore({ databasePath: current }).close()
    const notes = join(folder, 'notes.lmdb')
    writeFileSync(notes, 'my notes\n')
    expect(longUpgradeOf(current)).toBeUndefined()
    expect(longUpgradeOf(join(folder, 'absent.lmdb'))).toBeUndefined()
    expect(longUpgradeOf(notes)).toBeUndefined()
    // A folder with no data.mdb in it: the open creates the database there.
    mkdirSync(join(folder, 'empty'))
    expect(longUpgradeOf(join(folder, 'empty'))).toBeUndefined()
  })
})
