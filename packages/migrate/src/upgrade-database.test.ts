import { createHash } from 'node:crypto'
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { COLLECTIONS } from '@agent-tracker/core'
import { openLmdbStore, recogniseDatabase } from '@agent-tracker/lmdb-store'
import { historyCounts, holdPredecessorDatabaseOpen, predecessorCentralHistory, writePredecessorCentralDatabase } from '@agent-tracker/predecessor'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { stagingPath, upgradeDatabase } from './upgrade-database.js'

const NOW = (): Date => new Date('2026-12-01T10:00:00.000Z')

function predecessor(name = 'agent-tracker.lmdb', version: 'final' | 'm3' = 'final'): { path: string; history: ReturnType<typeof predecessorCentralHistory> } {
  const path = join(tempFolder(), '.config', 'opencode', name)
  const history = predecessorCentralHistory()
  expect(writePredecessorCentralDatabase(path, history, version).available).toBe(true)
  return { path, history }
}

function hash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

async function contents(path: string): Promise<unknown[]> {
  const store = openLmdbStore({ databasePath: path, readOnly: true })
  try {
    return await Promise.all(COLLECTIONS.map((collection) => store.find(collection, { order: 'oldest' })))
  } finally {
    await store.close()
  }
}

describe('upgradeDatabase', () => {
  it('puts agent-tracker\'s database at the path with every record, and keeps the old one unchanged beside it', async () => {
    const { path, history } = predecessor()
    const original = hash(path)
    const outcome = await upgradeDatabase(path, { now: NOW, timeZone: 'UTC' })
    expect(outcome).toMatchObject({ status: 'upgraded', plan: { path, backup: `${path}.predecessor-2026-12-01T10-00-00Z`, counts: historyCounts(history) } })
    if (outcome.status !== 'upgraded') throw new Error(outcome.status)
    expect(outcome.report.read).toEqual(historyCounts(history))
    expect(recogniseDatabase(path)).toEqual({ kind: 'agent-tracker', marked: true })
    expect(hash(outcome.plan.backup)).toBe(original)
    expect(recogniseDatabase(outcome.plan.backup).kind).toBe('predecessor-central')
    expect(readdirSync(join(path, '..')).sort()).toEqual(['agent-tracker.lmdb', 'agent-tracker.lmdb.predecessor-2026-12-01T10-00-00Z'])
    const [setups, , commits] = await contents(path) as unknown[][]
    expect(setups).toHaveLength(historyCounts(history).agents ?? -1)
    expect(commits).toHaveLength(historyCounts(history).commits ?? -1)
    expect(await upgradeDatabase(path, { now: NOW })).toEqual({ status: 'nothing-to-upgrade', format: { kind: 'agent-tracker', marked: true } })
    const again = await upgradeDatabase(path, { now: NOW, lookBack: true })
    expect(again).toMatchObject({ status: 'nothing-to-upgrade', upgradedBefore: { kind: 'upgrade', id: `upgrade:${path}`, source: outcome.plan.backup } })
  })

  it('says on a dry run what would move, and changes nothing', async () => {
    const { path, history } = predecessor()
    const files = readdirSync(join(path, '..')).sort()
    const original = hash(path)
    expect(await upgradeDatabase(path, { dryRun: true, now: NOW })).toEqual({ status: 'planned', plan: { path, counts: historyCounts(history), backup: `${path}.predecessor-2026-12-01T10-00-00Z` } })
    expect(hash(path)).toBe(original)
    expect(readdirSync(join(path, '..')).sort()).toEqual(files)
  })

  it('finishes a run stopped after it built the new database and named the backup, reusing that backup', async () => {
    const { path } = predecessor()
    const original = hash(path)
    // What a run killed just before its rename leaves: a staging database (maybe half written), a
    // backup name of the old file, and the lock of a process that is gone.
    writeFileSync(stagingPath(path), 'half a database')
    const { linkSync } = await import('node:fs')
    linkSync(path, `${path}.predecessor-2026-11-30T09-00-00Z`)
    writeFileSync(`${path}.upgrade-lock`, '999999')
    const outcome = await upgradeDatabase(path, { now: NOW, timeZone: 'UTC' })
    expect(outcome).toMatchObject({ status: 'upgraded', plan: { backup: `${path}.predecessor-2026-11-30T09-00-00Z` } })
    expect(hash(`${path}.predecessor-2026-11-30T09-00-00Z`)).toBe(original)
    expect(readdirSync(join(path, '..')).sort()).toEqual(['agent-tracker.lmdb', 'agent-tracker.lmdb.predecessor-2026-11-30T09-00-00Z'])
  })

  it('upgrades the first release\'s folder-layout database in its folder', async () => {
    const { path } = predecessor('tracker', 'm3')
    const original = hash(join(path, 'data.mdb'))
    const outcome = await upgradeDatabase(path, { now: NOW, timeZone: 'UTC' })
    expect(outcome.status).toBe('upgraded')
    expect(statSync(path).isDirectory()).toBe(true)
    expect(recogniseDatabase(path)).toEqual({ kind: 'agent-tracker', marked: true })
    expect(hash(join(`${path}.predecessor-2026-12-01T10-00-00Z`, 'data.mdb'))).toBe(original)
    expect(existsSync(stagingPath(path))).toBe(false)
  })

  it('waits for another process that is upgrading, and for processes that have the old database open', async () => {
    const { path } = predecessor()
    writeFileSync(`${path}.upgrade-lock`, String(process.ppid))
    expect(await upgradeDatabase(path)).toEqual({ status: 'busy', pid: process.ppid })
    writeFileSync(`${path}.upgrade-lock`, '999999')
    // The predecessor's plugin in a running OpenCode, with its own lmdb release.
    const reader = await holdPredecessorDatabaseOpen(path)
    try {
      expect(await upgradeDatabase(path)).toEqual({ status: 'in-use', pids: [reader.pid] })
      expect(recogniseDatabase(path).kind).toBe('predecessor-central')
    } finally {
      await reader.close()
    }
  })

  it('leaves everything else alone', async () => {
    const absent = join(tempFolder(), 'none.lmdb')
    expect(await upgradeDatabase(absent)).toEqual({ status: 'nothing-to-upgrade', format: { kind: 'absent' } })
    expect(existsSync(absent)).toBe(false)
    const garbage = join(tempFolder(), 'garbage.lmdb')
    writeFileSync(garbage, 'not a database')
    expect(await upgradeDatabase(garbage)).toMatchObject({ status: 'refused', format: { kind: 'unreadable' } })
  })
})
