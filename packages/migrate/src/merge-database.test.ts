import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { COLLECTIONS } from '@agent-tracker/core'
import { createFactScript } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { shopHistory, tempFolder, writeLegacyDatabase } from '../test/legacy-fixtures.js'
import { mergeDatabase } from './merge-database.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'

describe('mergeDatabase', () => {
  it('takes the union of two databases that share records, without duplicates, idempotently', async () => {
    const folder = tempFolder()
    const laptop = openLmdbStore({ databasePath: join(folder, 'laptop.lmdb') })
    const desktop = openLmdbStore({ databasePath: join(folder, 'desktop.lmdb') })
    const shared = createFactScript({ setup: SETUP, project: '/work/shop', start: '2026-01-01T00:00:00.000Z' })
    const both = [shared.commit('aaaa0001'), shared.activity('shared work')]
    await laptop.applyFacts(both)
    await desktop.applyFacts(both)
    const onDesktop = createFactScript({ setup: 'plan@openai/gpt-5', project: '/work/api', start: '2026-02-01T00:00:00.000Z' })
    await desktop.applyFacts([onDesktop.commit('bbbb0001'), onDesktop.grade('bbbb0001', { by: 'user', userGrade: 2 }), onDesktop.bug('user', 'oops')])
    await desktop.close()
    const laptopSetup = await laptop.get('setups', [SETUP])

    const first = await mergeDatabase(join(folder, 'desktop.lmdb'), laptop)
    expect(first.errors).toEqual([])
    // The desktop's facts are replayed here: the shared two are repeats, its own three apply.
    expect(first.facts).toEqual({ applied: 3, repeats: 2, withoutEffect: 0 })
    expect(await laptop.find('commits')).toHaveLength(2)
    expect(await laptop.find('activities')).toHaveLength(1)
    expect(await laptop.find('bugs')).toHaveLength(1)
    expect(await laptop.get('setups', [SETUP])).toEqual(laptopSetup)
    expect(await laptop.get('setups', ['plan@openai/gpt-5'])).toMatchObject({ state: { commits: 1, bugs: 1, userGrades: { count: 1, sum: 2 } } })

    const snapshot = await Promise.all(COLLECTIONS.map((c) => laptop.find(c)))
    const again = await mergeDatabase(join(folder, 'desktop.lmdb'), laptop)
    expect(again).toMatchObject({ migrated: 0, errors: [], facts: { applied: 0, repeats: 5 } })
    expect(await Promise.all(COLLECTIONS.map((c) => laptop.find(c)))).toEqual(snapshot)
    expect(await laptop.listMigrations()).toEqual([expect.objectContaining({ kind: 'merge', migrated: first.migrated })])
    await laptop.close()
  })

  it('reports an unreadable other database and changes nothing', async () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'junk.lmdb'), 'not a database')
    const target = openLmdbStore({ databasePath: ':memory:' })
    const report = await mergeDatabase(join(folder, 'junk.lmdb'), target)
    expect(report).toMatchObject({ migrated: 0, skipped: 0, errors: [{ source: join(folder, 'junk.lmdb'), message: expect.stringContaining('is unreadable: it is not an LMDB database file') as unknown }] })
    expect(await target.find('setups')).toEqual([])
    await target.close()
  })

  it('reports a missing other database', async () => {
    const target = openLmdbStore({ databasePath: ':memory:' })
    const missing = join(tempFolder(), 'nowhere.lmdb')
    expect((await mergeDatabase(missing, target)).errors[0]?.message).toBe(`There is no agent-tracker database at ${missing}.`)
    await target.close()
  })

  it('says that a legacy per-project database is one, and that migrate is for those', async () => {
    const project = tempFolder()
    const legacy = await writeLegacyDatabase(project, shopHistory(project))
    const target = openLmdbStore({ databasePath: ':memory:' })
    const report = await mergeDatabase(legacy, target)
    expect(report).toMatchObject({ migrated: 0, skipped: 0, errors: [{
      source: legacy,
      message: `${legacy} is not an agent-tracker database (it has no "meta" sub-database): its agent:, commit: and communication: keys make it a legacy per-project database. merge is for agent-tracker databases from other machines; bring legacy ones in with \`agent-tracker migrate <project folder>\`.`,
    }] })
    expect(await target.find('commits')).toEqual([])
    expect(await target.listMigrations()).toEqual([])
    await target.close()
  })

  it('says that an LMDB database of some other program is not an agent-tracker database', async () => {
    const other = join(tempFolder(), 'other.lmdb')
    const root = open({ path: other })
    await root.put('hello', 'world')
    await root.close()
    const target = openLmdbStore({ databasePath: ':memory:' })
    expect((await mergeDatabase(other, target)).errors).toEqual([{ source: other, message: `${other} is not an agent-tracker database (it has no "meta" sub-database), so there is nothing to merge from it.` }])
    await target.close()
  })
})
