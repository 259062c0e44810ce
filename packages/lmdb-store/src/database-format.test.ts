import { createHash } from 'node:crypto'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { predecessorCentralHistory, predecessorProjectHistory, writePredecessorCentralDatabase, writePredecessorProjectDatabase } from '@agent-tracker/predecessor'
import type { RootDatabase } from 'lmdb'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { describeDatabaseFormat, readStoredSchema, recogniseDatabase } from './database-format.js'
import { isLmdbStoreError } from './errors.js'
import { ALL_SUB_DATABASES } from './layout.js'
import { openTables } from './open-environment.js'
import { openLmdbStore } from './open-lmdb-store.js'
import { writeSchema1Database } from './schema-1-database.js'
import { upgradeRewritesRecords } from './schema-version.js'
import { createFactScript } from '@agent-tracker/core/testing'
import { COLLECTIONS, SCHEMA_VERSION } from '@agent-tracker/core'

function predecessorCentral(version: 'final' | 'm3' = 'final'): string {
  const path = join(tempFolder(), version === 'final' ? 'agent-tracker.lmdb' : 'tracker')
  expect(writePredecessorCentralDatabase(path, predecessorCentralHistory(), version).available).toBe(true)
  return path
}

/** The predecessor's per-project database, written where it lived (a literal `~` folder) or at `path`. */
function predecessorProject(path?: string): string {
  const project = tempFolder()
  const at = path ?? join(project, '~', '.config', 'opencode', 'agent-tracker.lmdb')
  writePredecessorProjectDatabase(at, predecessorProjectHistory(project))
  return at
}

async function foreignDatabase(names: readonly string[], rootKeys: Record<string, unknown> = {}): Promise<string> {
  const path = join(tempFolder(), 'other.lmdb')
  const root = open({ path, maxDbs: 8 })
  for (const name of names) await root.openDB({ name }).put('key', { name })
  for (const [key, value] of Object.entries(rootKeys)) await root.put(key, value)
  await root.close()
  return path
}

function fingerprint(path: string): string[] {
  return [path, `${path}-lock`].map((file) => (existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent'))
}

describe('recogniseDatabase', () => {
  it('knows its own database by the schema marker', async () => {
    const path = join(tempFolder(), 'agent-tracker.lmdb')
    await openLmdbStore({ databasePath: path }).close()
    expect(recogniseDatabase(path)).toEqual({ kind: 'agent-tracker', marked: true })
  })

  it('knows its own database cut short at any point while its sub-databases are created, and finishes setting it up', async () => {
    // Each sub-database of a new file is created in a commit of its own: a process can die between any two.
    for (let created = 1; created < ALL_SUB_DATABASES.length; created++) {
      const path = join(tempFolder(), 'agent-tracker.lmdb')
      const root = open({ path, noSubdir: true, maxDbs: 32 })
      let calls = 0
      const dying = Object.assign(Object.create(root) as RootDatabase, {
        openDB: (options: { name: string }) => {
          if (++calls > created) throw new Error('killed')
          return root.openDB(options)
        },
      })
      expect(() => openTables(dying)).toThrow('killed')
      await root.close()
      expect(recogniseDatabase(path), `after ${String(created)} sub-databases`).toEqual({ kind: 'agent-tracker', marked: false })
      await openLmdbStore({ databasePath: path }).close()
      expect(recogniseDatabase(path)).toEqual({ kind: 'agent-tracker', marked: true })
    }
  })

  it('knows the predecessor\'s central database of its last commit, and of the commit that introduced it', () => {
    expect(recogniseDatabase(predecessorCentral())).toEqual({ kind: 'predecessor-central', subDatabases: ['activities', 'agents', 'commits', 'communication', 'migrations', 'projects', 'retrospectives'] })
    expect(recogniseDatabase(predecessorCentral('m3'))).toEqual({ kind: 'predecessor-central', subDatabases: ['activities', 'agents', 'commits', 'communication', 'retrospectives'] })
  })

  it('knows the predecessor\'s per-project database', () => {
    expect(recogniseDatabase(predecessorProject())).toEqual({ kind: 'predecessor-project' })
  })

  it('tells an empty LMDB file, another program\'s database, an absent and an unreadable one apart', async () => {
    expect(recogniseDatabase(await foreignDatabase([]))).toEqual({ kind: 'empty' })
    expect(recogniseDatabase(await foreignDatabase(['users', 'sessions']))).toEqual({ kind: 'foreign', subDatabases: ['sessions', 'users'] })
    expect(recogniseDatabase(await foreignDatabase(['meta', 'users']))).toEqual({ kind: 'foreign', subDatabases: ['meta', 'users'] })
    expect(recogniseDatabase(await foreignDatabase([], { 'user:1': 'ada' }))).toEqual({ kind: 'foreign', subDatabases: [] })
    expect(recogniseDatabase(join(tempFolder(), 'none.lmdb'))).toEqual({ kind: 'absent' })
    const garbage = join(tempFolder(), 'garbage.lmdb')
    writeFileSync(garbage, 'not a database')
    expect(recogniseDatabase(garbage)).toEqual({ kind: 'unreadable', problem: 'it is a text file, not an agent-tracker database' })
  })
})

describe('readStoredSchema', () => {
  it('reads the schema version and the record count from the bytes, without opening the database', async () => {
    const script = createFactScript({ setup: 'build@anthropic/claude-sonnet-4-5', project: '/home/dev/shop', start: '2026-03-01T09:00:00.000Z', stepMs: 60_000 })
    const facts = [script.activity('one'), script.commit('c0ffee1', 'first'), script.activity('two'), script.commit('c0ffee2', 'second'), script.toolCall('bash')]
    const old = join(tempFolder(), 'old.lmdb')
    await writeSchema1Database(old, { facts })
    const before = readFileSync(old)
    const stored = readStoredSchema(old)
    expect(stored?.schemaVersion).toBe(1)
    expect(upgradeRewritesRecords(stored?.schemaVersion)).toBe(true)
    expect(readFileSync(old).equals(before)).toBe(true)

    const store = openLmdbStore({ databasePath: old })
    const records = (await Promise.all(COLLECTIONS.map((c) => store.find(c, {})))).reduce((sum, list) => sum + list.length, 0)
    await store.close()
    // Schema 1's tables hold the records alone.
    expect(stored?.entries).toBe(records)
    expect(readStoredSchema(old)?.schemaVersion).toBe(SCHEMA_VERSION)
    expect(upgradeRewritesRecords(SCHEMA_VERSION)).toBe(false)
    expect(upgradeRewritesRecords(2)).toBe(false)
  })

  it('says nothing of files that are not agent-tracker databases', async () => {
    expect(readStoredSchema(join(tempFolder(), 'absent.lmdb'))).toBeUndefined()
    expect(readStoredSchema(predecessorCentral())).toBeUndefined()
    expect(readStoredSchema(await foreignDatabase(['things']))).toBeUndefined()
    const garbage = join(tempFolder(), 'garbage.lmdb')
    writeFileSync(garbage, Buffer.alloc(20_000, 7))
    expect(readStoredSchema(garbage)).toBeUndefined()
  })
})

describe('opening a database that is not ours', () => {
  it.each([
    ['the predecessor\'s central database', () => Promise.resolve(predecessorCentral()), 'predecessor-central'],
    // Copied out of its `~` folder: openLmdbStore never accepts a path through a literal `~`.
    ['the predecessor\'s per-project database', () => Promise.resolve(predecessorProject(join(tempFolder(), 'agent-tracker.lmdb'))), 'predecessor-project'],
    ['another program\'s database', () => foreignDatabase(['users']), 'foreign'],
  ] as const)('refuses %s for reading and writing, and leaves its bytes unchanged', async (_, make, kind) => {
    const path = await make()
    const before = fingerprint(path)
    for (const readOnly of [true, false]) {
      let error: unknown
      try {
        openLmdbStore({ databasePath: path, readOnly })
      } catch (thrown) {
        error = thrown
      }
      expect(isLmdbStoreError(error, 'NOT_AGENT_TRACKER_DATABASE')).toBe(true)
      expect((error as { details: { format: { kind: string } } }).details.format.kind).toBe(kind)
      expect((error as Error).message).toContain('it was not opened or changed')
    }
    expect(fingerprint(path)).toEqual(before)
  })

  it('sets up an empty LMDB file as a new database, but a read of it says it holds no data', async () => {
    const path = await foreignDatabase([])
    expect(() => openLmdbStore({ databasePath: path, readOnly: true })).toThrow(`There is no agent-tracker data at ${path} yet.`)
    await openLmdbStore({ databasePath: path }).close()
    expect(recogniseDatabase(path)).toEqual({ kind: 'agent-tracker', marked: true })
  })

  it('describes every format in words', () => {
    expect(describeDatabaseFormat({ kind: 'predecessor-central', subDatabases: ['agents', 'commits'] })).toBe("the central database of agent-tracker's predecessor, opencode-agent-tracker (sub-databases agents, commits)")
  })
})
