import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { openLmdbStore, recogniseDatabase } from '@agent-tracker/lmdb-store'
import { createFactScript } from '@agent-tracker/core/testing'
import { asSchema2 } from '@agent-tracker/lmdb-store/testing'
import { historyCounts, holdPredecessorDatabaseOpen, predecessorCentralHistory, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { describe, expect, it, vi } from 'vitest'
import { fakeClient, tempFolder } from '../test/plugin-fixture.js'
import { createNotifier } from './notifier.js'
import { openRuntime } from './open-runtime.js'
import { readPluginOptions } from '@agent-tracker/node-host/opencode-options'

describe('openRuntime', () => {
  it('opens the database in the background and profiles the project on start', async () => {
    const folder = tempFolder()
    const client = fakeClient()
    const { runtime, startup } = openRuntime(readPluginOptions({ databasePath: join(folder, 'db.lmdb') }), folder, createNotifier(client))
    const opened = await runtime
    await startup
    expect(await opened?.buffer.get('projects', [folder])).toMatchObject({ path: folder, profile: expect.any(Object) as object })
    await opened?.close()
    expect(client.notices).toEqual([])
  })

  it('pauses tracking with one toast and log line when the database cannot be used, and still settles its start-up', async () => {
    const folder = tempFolder()
    writeFileSync(join(folder, 'corrupt.lmdb'), 'this is not an LMDB file'.repeat(500))
    const client = fakeClient()
    const { runtime, startup } = openRuntime(readPluginOptions({ databasePath: join(folder, 'corrupt.lmdb') }), folder, createNotifier(client))
    expect(await runtime).toBeUndefined()
    await startup
    expect(client.notices.map((notice) => [notice.kind, notice.level])).toEqual([['log', 'warn'], ['toast', 'warning']])
    expect(client.notices[0]?.message).toMatch(/^agent-tracker: tracking is paused — .*corrupt\.lmdb/)
  })
})

describe('openRuntime on a database of the release before the search indexes', () => {
  it('builds its search index in the background after the start, saying so in the log at the start and the end', async () => {
    const folder = tempFolder()
    const databasePath = join(folder, 'db.lmdb')
    const store = openLmdbStore({ databasePath })
    const script = createFactScript({ setup: 'build@fake/m1', project: folder, start: '2026-03-01T09:00:00.000Z', stepMs: 60_000 })
    await store.applyFacts(Array.from({ length: 1500 }, (_, i) => script.activity(`stripe webhook retries ${String(i)}`)))
    await store.close()
    await asSchema2(databasePath)

    const client = fakeClient()
    const { runtime, startup } = openRuntime(readPluginOptions({ databasePath }), folder, createNotifier(client))
    const opened = await runtime
    await startup
    expect(opened?.store.searchIndexes()).toBe('building')
    while (opened?.store.searchIndexes() === 'building') await new Promise((resolve) => setTimeout(resolve, 20))
    expect(opened?.store.searchIndexes()).toBe('in step')
    // The log line follows the last step's commit once its promise has come back to the builder: on a loaded machine, some turns later.
    await vi.waitFor(() => {
      expect(client.notices.filter((notice) => notice.kind === 'log').map((notice) => notice.message)).toEqual([
        'agent-tracker is building its search index in the background (0 of 1500 records so far); until it is done, prior-art searches read whole records.',
        'agent-tracker finished building its search index.',
      ])
    }, { timeout: 5000, interval: 20 })
    await opened?.close()
  })
})

describe('openRuntime on the predecessor\'s central database', () => {
  function predecessorAt(folder: string): string {
    const path = join(folder, 'agent-tracker.lmdb')
    expect(writePredecessorCentralDatabase(path, predecessorCentralHistory()).available).toBe(true)
    return path
  }

  it('upgrades it on the first start, says so once, and tracks into the new database', async () => {
    const folder = tempFolder()
    const path = predecessorAt(folder)
    const client = fakeClient()
    const { runtime, startup } = openRuntime(readPluginOptions({ databasePath: path }), folder, createNotifier(client))
    const opened = await runtime
    await startup
    expect(opened).toBeDefined()
    expect(recogniseDatabase(path)).toEqual({ kind: 'agent-tracker', marked: true })
    expect(await opened?.buffer.find('commits')).toHaveLength(historyCounts(predecessorCentralHistory()).commits ?? -1)
    await opened?.close()
    expect(client.notices.map((notice) => [notice.kind, notice.level])).toEqual([['log', 'info'], ['toast', 'success']])
    expect(client.notices[1]?.message).toMatch(/^agent-tracker: upgraded the predecessor's database to agent-tracker's, \d+ record\(s\) imported; the old one is kept as .*agent-tracker\.lmdb\.predecessor-/)
    expect(readdirSync(folder).filter((name) => name.includes('.predecessor-'))).toHaveLength(1)
  })

  it('with upgradeOnStart off, pauses tracking with one toast and one log line, and leaves it as it was', async () => {
    const folder = tempFolder()
    const path = predecessorAt(folder)
    const before = readFileSync(path)
    const client = fakeClient()
    const { runtime, startup } = openRuntime(readPluginOptions({ databasePath: path, upgradeOnStart: false }), folder, createNotifier(client))
    expect(await runtime).toBeUndefined()
    await startup
    expect(client.notices.map((notice) => [notice.kind, notice.level])).toEqual([['log', 'warn'], ['toast', 'warning']])
    expect(client.notices[1]?.message).toBe(`agent-tracker: tracking is paused — ${path} holds the central database of agent-tracker's predecessor, opencode-agent-tracker (sub-databases activities, agents, commits, communication, migrations, projects, retrospectives), not an agent-tracker database; it was not opened or changed. Turn the upgradeOnStart option back on, or run agent-tracker upgrade, to move it aside and import everything it holds; or set databasePath to another file.`)
    expect(readFileSync(path)).toEqual(before)
  })
})

describe('openRuntime while the predecessor\'s plugin still has its database open', () => {
  it('pauses tracking with one toast and one log line saying which process to close, and changes nothing', async () => {
    const folder = tempFolder()
    const path = join(folder, 'agent-tracker.lmdb')
    writePredecessorCentralDatabase(path, predecessorCentralHistory())
    const before = readFileSync(path)
    const holder = await holdPredecessorDatabaseOpen(path)
    try {
      const client = fakeClient()
      const { runtime, startup } = openRuntime(readPluginOptions({ databasePath: path }), folder, createNotifier(client))
      expect(await runtime).toBeUndefined()
      await startup
      expect(client.notices.map((notice) => [notice.kind, notice.level])).toEqual([['log', 'warn'], ['toast', 'warning']])
      expect(client.notices[1]?.message).toBe(`agent-tracker: tracking is paused — the predecessor's database at the database path is open in process ${String(holder.pid)} (OpenCode with the old plugin?); close it and start OpenCode again to upgrade it.`)
      expect(readFileSync(path)).toEqual(before)
      expect(recogniseDatabase(path).kind).toBe('predecessor-central')
    } finally {
      await holder.close()
    }
  })
})
