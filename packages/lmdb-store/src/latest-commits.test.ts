import { join } from 'node:path'
import { createFactScript } from '@agent-tracker/core/testing'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { SUB_DATABASES } from './layout.js'
import { openLmdbStore } from './open-lmdb-store.js'

const SETUP = 'build@anthropic/claude-sonnet-4-5'
/** A value no msgpack decoder accepts (an extension of an unknown type). */
const UNDECODABLE = Buffer.from([0xd4, 0x7f, 0x00])

describe('the latest commits of a setup', () => {
  it('come from one reverse range read that stops at the limit, never touching older commits', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    const s = createFactScript({ setup: SETUP, project: '/home/dev/app', start: '2026-03-01T00:00:00.000Z', stepMs: 60_000 })
    const store = openLmdbStore({ databasePath })
    await store.applyFacts(Array.from({ length: 40 }, (_, i) => s.commit(`c${String(i).padStart(7, '0')}`)))
    await store.close()
    // Make the oldest commit record unreadable: a read that walks the whole index fails on it.
    const raw = open({ path: databasePath, noSubdir: true, maxDbs: 16, overlappingSync: false })
    raw.openDB({ name: SUB_DATABASES.commits, encoding: 'binary' }).putSync(['/home/dev/app', 'c0000000'], UNDECODABLE)
    await raw.close()

    const again = openLmdbStore({ databasePath })
    const latest = await again.find('commits', { setup: SETUP, limit: 3 })
    expect(latest.map((commit) => commit.hash)).toEqual(['c0000039', 'c0000038', 'c0000037'])
    const window = await again.find('commits', { setup: SETUP, since: '2026-03-01T00:10:00Z', until: '2026-03-01T00:20:00Z', limit: 2 })
    expect(window.map((commit) => commit.hash)).toEqual(['c0000019', 'c0000018'])
    const oldestAfter = await again.find('commits', { setup: SETUP, since: '2026-03-01T00:01:00Z', order: 'oldest', limit: 2 })
    expect(oldestAfter.map((commit) => commit.hash)).toEqual(['c0000001', 'c0000002'])
    await again.close()
  })

  it('order ties in time by project and hash, as every store does, and filter by project while reading', async () => {
    const store = openLmdbStore({ databasePath: ':memory:' })
    const at = '2026-03-02T12:00:00.000Z'
    const facts = ['/a', '/b'].flatMap((project) => {
      const s = createFactScript({ setup: SETUP, project, start: at, stepMs: 0 })
      return [s.commit('bbbb0000'), s.commit('aaaa0000')]
    })
    await store.applyFacts(facts)
    const newest = await store.find('commits', { setup: SETUP })
    expect(newest.map((commit) => `${commit.project}:${commit.hash}`)).toEqual(['/b:bbbb0000', '/b:aaaa0000', '/a:bbbb0000', '/a:aaaa0000'])
    const inA = await store.find('commits', { setup: SETUP, project: '/a', limit: 1 })
    expect(inA.map((commit) => `${commit.project}:${commit.hash}`)).toEqual(['/a:bbbb0000'])
    await store.close()
  })
})
