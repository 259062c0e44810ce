import { SCHEMA_VERSION, projectList } from '@agent-tracker/core'
import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import { describeStoreContract } from '@agent-tracker/core/testing/contract'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { META, PROJECT_DAYS, PROJECT_DAYS_KEY, SETUP_TOTALS, SETUP_TOTALS_KEY } from './layout.js'
import { openLmdbStore } from './open-lmdb-store.js'

describeStoreContract('lmdb', ({ rules }) => Promise.resolve(openLmdbStore({ databasePath: ':memory:', ...(rules === undefined ? {} : { rules }) })))

const SETUP = 'build@anthropic/claude-sonnet-4-5'
const PROJECT = '/home/dev/app'

describe('openLmdbStore', () => {
  it('keeps everything across close and reopen', async () => {
    const databasePath = `${tempFolder()}/tracker.lmdb`
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    const first = openLmdbStore({ databasePath })
    await first.applyFacts([s.commit('aaaa1111'), s.push(), s.grade('aaaa1111', { by: 'user', userGrade: 5 }), s.activity('ship it')])
    await first.recordMigration({ id: 'merge:/x', kind: 'merge', source: '/x', at: '2026-01-01T00:00:00.000Z', migrated: 1, skipped: 0, errors: 0 })
    const before = await first.get('setups', [SETUP])
    await first.close()

    const again = openLmdbStore({ databasePath })
    expect(await again.get('setups', [SETUP])).toEqual(before)
    expect(await again.get('retrospectives', [SETUP, 'aaaa1111'])).toMatchObject({ userGrade: 5 })
    expect(await again.find('activities', { setup: SETUP })).toHaveLength(1)
    expect(await again.listMigrations()).toHaveLength(1)
    expect(await again.schemaVersion()).toBe(SCHEMA_VERSION)
    await again.close()
  })

  it('reports sizes, readers and record counts for health checks', async () => {
    const store = openLmdbStore({ databasePath: `${tempFolder()}/tracker.lmdb`, maxDatabaseSize: 8 * 1024 * 1024 })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    await store.applyFacts([s.commit('aaaa1111'), s.toolCall()])
    const info = store.info()
    expect(info).toMatchObject({ maxDatabaseSize: 8 * 1024 * 1024, schemaVersion: SCHEMA_VERSION, pageSize: 4096 })
    expect(info.records).toMatchObject({ setups: 1, commits: 1, usage: 1, projects: 1, activities: 0 })
    expect(info.usedBytes).toBeGreaterThan(0)
    expect(info.readers).toBeGreaterThanOrEqual(1)
    await store.close()
  })

  it('finds the latest N events of a setup inside a time window with one range read', async () => {
    const store = openLmdbStore({ databasePath: ':memory:' })
    const s = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-06-01T00:00:00.000Z', stepMs: 3_600_000 })
    const other = createFactScript({ setup: SETUP, project: '/home/dev/other', start: '2026-06-01T00:30:00.000Z', stepMs: 3_600_000 })
    await store.applyFacts(Array.from({ length: 48 }, (_, i) => (i % 2 === 0 ? s : other).activity(`task ${String(i)}`)))
    const window = await store.find('activities', { setup: SETUP, since: '2026-06-01T10:00:00Z', until: '2026-06-01T20:00:00Z', project: PROJECT, limit: 3 })
    expect(window.map((a) => a.at)).toEqual(['2026-06-01T19:00:00.000Z', '2026-06-01T18:00:00.000Z', '2026-06-01T17:00:00.000Z'])
    const oldest = await store.find('activities', { setup: SETUP, order: 'oldest', limit: 2 })
    expect(oldest.map((a) => a.task)).toEqual(['task 0', 'task 1'])
    await store.close()
  })

  it('walks an index past the entries it reads ahead of their records, as the reference store answers', async () => {
    // Retrospectives have no index by project: the newest of one project come from the time index,
    // every other entry passed over, so 2,100 of them take more than one read-ahead of entries.
    const shop = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-01-01T00:00:00.000Z', stepMs: 60_000 })
    const api = createFactScript({ setup: SETUP, project: '/home/dev/api', start: '2026-01-01T00:00:30.000Z', stepMs: 60_000 })
    const facts = Array.from({ length: 4400 }, (_, i) => {
      const script = i % 2 === 0 ? shop : api
      const hash = i.toString(16).padStart(8, '0')
      return [script.commit(hash, `change ${String(i)}`), script.grade(hash, { by: 'user', userGrade: ([-1, 1, 2, 5] as const)[i % 4] ?? 1 })]
    }).flat()
    const store = openLmdbStore({ databasePath: ':memory:' })
    const reference = createMemoryStore()
    await store.applyFacts(facts)
    await reference.applyFacts(facts)
    for (const query of [{ project: PROJECT, limit: 2100 }, { project: PROJECT, order: 'oldest' as const, limit: 2199 }, { project: '/home/dev/api' }, { limit: 4097 }]) {
      const found = await store.find('retrospectives', query)
      expect(found.length).toBe(Math.min(query.limit ?? 4400, query.project === undefined ? 4400 : 2200))
      expect(found).toEqual(await reference.find('retrospectives', query))
    }
    await store.close()
  }, 60_000)

  it('reads the newest records across setups from the time indexes alone, the same as by each project', async () => {
    const store = openLmdbStore({ databasePath: ':memory:' })
    const long = `/home/dev/${'deep/'.repeat(120)}app`
    const scripts = [SETUP, 'plan@openai/gpt-5', `x@${'y'.repeat(500)}/z`].flatMap((setup, which) => [PROJECT, long].map((project, where) => createFactScript({ setup, project, start: `2026-06-0${String(1 + which)}T0${String(where)}:00:00.000Z`, stepMs: 3_600_000 })))
    await store.applyFacts(scripts.flatMap((s, which) => Array.from({ length: 4 }, (_, i) => [s.activity(`task ${String(which)}.${String(i)}`), s.commit(`${String(which)}${String(i)}c0ffee`, `change ${String(which)}.${String(i)}`), s.grade(`${String(which)}${String(i)}c0ffee`, { by: 'user', userGrade: 5 }), s.bug('user', `bug ${String(which)}.${String(i)}`)]).flat()))
    for (const collection of ['activities', 'commits', 'retrospectives', 'bugs'] as const) {
      const newest = await store.find(collection, { limit: 100 })
      const byProject = [...await store.find(collection, { project: PROJECT }), ...await store.find(collection, { project: long })]
      expect(newest.length, collection).toBe(24)
      expect(new Set(newest.map((record) => JSON.stringify(record))), collection).toEqual(new Set(byProject.map((record) => JSON.stringify(record))))
      expect(newest.map((record) => record.at), collection).toEqual(newest.map((record) => record.at).sort().reverse())
      expect(await store.find(collection, { limit: 5 }), collection).toEqual(newest.slice(0, 5))
    }
    await store.close()
  })
})

describe('relieveMemory', () => {
  it('maps the file again between reads, and never during a scan', async () => {
    const store = openLmdbStore({ databasePath: `${tempFolder()}/tracker.lmdb` })
    const s = createFactScript({ setup: SETUP, project: PROJECT })
    await store.applyFacts([s.commit('aaaa1111'), s.activity('one'), s.activity('two')])
    expect(store.relieveMemory(Number.POSITIVE_INFINITY)).toBe(false)
    expect(store.relieveMemory(Number.NEGATIVE_INFINITY)).toBe(true)
    expect((await store.find('activities')).map((a) => a.task)).toEqual(['two', 'one'])
    const scan = store.scan('activities')[Symbol.asyncIterator]()
    expect((await scan.next()).value).toMatchObject({ task: 'one' })
    expect(store.relieveMemory(Number.NEGATIVE_INFINITY)).toBe(false)
    expect((await scan.next()).value).toMatchObject({ task: 'two' })
    expect((await scan.next()).done).toBe(true)
    expect(store.relieveMemory(Number.NEGATIVE_INFINITY)).toBe(true)
    await store.applyFacts([s.activity('three')])
    expect(await store.find('activities')).toHaveLength(3)
    await store.close()
  })
})

describe('scan in pages', () => {
  it('gives every record once in key order, a page at a time, and lets the file be mapped again between pages', async () => {
    const store = openLmdbStore({ databasePath: `${tempFolder()}/tracker.lmdb` })
    const facts = ['/a/shop', '/b/api', '/c/web'].flatMap((project, p) => {
      const s = createFactScript({ setup: SETUP, project, start: `2026-03-0${String(p + 1)}T10:00:00.000Z` })
      return Array.from({ length: 7 }, (_, i) => s.activity(`${project} ${String(i)}`))
    })
    await store.applyFacts(facts)
    const whole: unknown[] = []
    for await (const activity of store.scan('activities')) whole.push(activity)
    expect(whole).toHaveLength(21)
    for (const pageSize of [1, 4, 7, 21, 50]) {
      const paged: unknown[] = []
      let remapped = 0
      let pauses = 0
      for await (const activity of store.scan('activities', { pageSize, betweenPages: () => {
        pauses += 1
        // Between pages no read is under way: the file can be unmapped and mapped again.
        if (store.relieveMemory(Number.NEGATIVE_INFINITY)) remapped += 1
      } })) paged.push(activity)
      expect(paged, `pages of ${String(pageSize)}`).toEqual(whole)
      expect(remapped, `pages of ${String(pageSize)}`).toBe(pauses)
      // A pause after every full page: the one after the last full page finds nothing more.
      expect(pauses, `pages of ${String(pageSize)}`).toBe(Math.floor(21 / pageSize))
    }
    await expect(async () => {
      for await (const _ of store.scan('activities', { pageSize: 0, betweenPages: () => undefined })) break
    }).rejects.toThrow(/page size must be a whole number of at least 1, got 0/)
    await store.close()
  })
})

/** Leaves a database as a build before `subDatabase` existed did: without it, and without the meta key that marks it complete. */
async function writtenBefore(databasePath: string, subDatabase: string, metaKey: string): Promise<void> {
  const root = open({ path: databasePath, noSubdir: true, maxDbs: 32 })
  await root.openDB({ name: subDatabase }).drop()
  await root.openDB({ name: META }).remove(metaKey)
  await root.close()
}

describe('setup totals', () => {
  it('are added up on the first writable open of a database written before them; read-only, the report adds up the rollups instead', async () => {
    const databasePath = `${tempFolder()}/tracker.lmdb`
    const shop = createFactScript({ setup: SETUP, project: PROJECT })
    const api = createFactScript({ setup: SETUP, project: '/home/dev/api', start: '2026-03-04T10:00:00.000Z' })
    const store = openLmdbStore({ databasePath })
    await store.applyFacts([shop.commit('aaaa1111'), shop.grade('aaaa1111', { by: 'user', userGrade: 5 }), shop.usage({ input: 900, output: 100 }, 0.25), api.commit('bbbb2222'), api.toolCall('bash', false)])
    const kept = await store.setupTotals()
    expect(kept).toEqual([expect.objectContaining({ setup: SETUP, projects: 2, commits: 2, toolCalls: 1, toolFailures: 1, cost: 0.25 })])
    await store.close()
    // As a release before the totals left it: no totals, and no mark that they add up.
    await writtenBefore(databasePath, SETUP_TOTALS, SETUP_TOTALS_KEY)

    const reader = openLmdbStore({ databasePath, readOnly: true })
    expect(await reader.setupTotals()).toBeUndefined()
    await reader.close()
    const writer = openLmdbStore({ databasePath })
    expect(await writer.setupTotals()).toEqual(kept)
    await writer.close()
  })
})

describe('project days', () => {
  it('are added up on the first writable open of a database written before them; read-only, the project list adds up the rollups instead, to the same list', async () => {
    const databasePath = `${tempFolder()}/tracker.lmdb`
    const shop = createFactScript({ setup: SETUP, project: PROJECT, start: '2026-03-01T10:00:00.000Z', stepMs: 20 * 3600_000 })
    const other = createFactScript({ setup: 'plan@openai/gpt-5', project: PROJECT, start: '2026-03-02T09:00:00.000Z' })
    const api = createFactScript({ setup: SETUP, project: '/home/dev/api', start: '2026-03-04T10:00:00.000Z' })
    const store = openLmdbStore({ databasePath })
    await store.applyFacts([shop.commit('aaaa1111'), shop.grade('aaaa1111', { by: 'user', userGrade: 5 }), shop.toolCall(), shop.commit('aaaa2222'), other.commit('cccc3333'), api.toolCall('bash', false)])
    // An activity alone counts no work: its day is no day of work.
    await store.applyFacts([api.activity('read the code')])
    const kept = await store.projectDays()
    expect(kept).toEqual([
      { project: '/home/dev/api', day: '2026-03-04', rollups: 1, commits: 0 },
      { project: PROJECT, day: '2026-03-01', rollups: 1, commits: 1 },
      { project: PROJECT, day: '2026-03-02', rollups: 2, commits: 1 },
      { project: PROJECT, day: '2026-03-03', rollups: 1, commits: 1 },
    ])
    const listed = await projectList(store)
    expect(listed.map((project) => [project.path, project.commits, project.firstSeenAt.slice(0, 10), project.lastSeenAt.slice(0, 10)])).toEqual([
      ['/home/dev/api', 0, '2026-03-04', '2026-03-04'],
      [PROJECT, 3, '2026-03-01', '2026-03-03'],
    ])
    await store.close()
    // As a build before the project days left it: none, and no mark that they add up.
    await writtenBefore(databasePath, PROJECT_DAYS, PROJECT_DAYS_KEY)

    const reader = openLmdbStore({ databasePath, readOnly: true })
    expect(await reader.projectDays()).toBeUndefined()
    expect(await projectList(reader)).toEqual(listed)
    await reader.close()
    const writer = openLmdbStore({ databasePath })
    expect(await writer.projectDays()).toEqual(kept)
    expect(await projectList(writer)).toEqual(listed)
    await writer.close()
  })
})
