import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import type { CollectionName, Fact, TrackerStore } from '@agent-tracker/core'
import { COLLECTIONS, SCHEMA_VERSION, checkRollups, priorArt } from '@agent-tracker/core'
import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { writeSchema1Database } from './schema-1-database.js'
import { tempFolder } from '@agent-tracker/test-folders'
import { isLmdbStoreError } from './errors.js'
import { SUB_DATABASES } from './layout.js'
import { openLmdbStore } from './open-lmdb-store.js'

const run = promisify(execFile)
const openInChild = fileURLToPath(new URL('../test/fixtures/open-database.mjs', import.meta.url))
const SONNET = 'build@anthropic/claude-sonnet-4-5'
const GPT = 'plan@openai/gpt-5'
const SHOP = '/home/dev/shop'
const API = '/home/dev/api'

/** A few days of two setups in two projects: every kind of fact, and commits imported without facts. */
function history(): { facts: Fact[]; imported: { v: 1; project: string; hash: string; setup: string; at: string; message: string }[] } {
  const shop = createFactScript({ setup: SONNET, project: SHOP, start: '2026-02-01T09:00:00.000Z', stepMs: 7 * 60_000, session: 'ses_1' })
  const api = createFactScript({ setup: GPT, project: API, start: '2026-02-02T22:00:00.000Z', stepMs: 11 * 60_000 })
  const facts: Fact[] = []
  for (let i = 0; i < 12; i++) {
    facts.push(shop.toolCall('bash', i % 4 !== 0), shop.toolCall('edit'), shop.usage({ input: 1200, output: 300 }, 0.013), shop.commit(`5a${String(i)}c0ffee`, `shop change ${String(i)}`))
    facts.push(shop.grade(`5a${String(i)}c0ffee`, { by: 'user', userGrade: i % 3 === 0 ? 5 : 2, agentGrade: 2 }), shop.activity(`task ${String(i)}`))
    facts.push(api.toolCall('bash', i % 2 === 0), api.command('grade'), api.commit(`ap${String(i)}beef`), api.push('origin', 'main'))
    if (i % 5 === 0) facts.push(api.bug('user', `broke ${String(i)}`), api.retrospective(`ap${String(i)}beef`, { task: 'api work', userNote: 'careful', extra: { sp_before: i } }))
  }
  const imported = [0, 1, 2].map((i) => ({ v: 1 as const, project: API, hash: `imp${String(i)}`, setup: GPT, at: `2026-01-1${String(i)}T10:00:00.000Z`, message: 'imported from a legacy journal' }))
  return { facts, imported }
}

async function everything(store: TrackerStore): Promise<Record<CollectionName, unknown[]>> {
  const all = {} as Record<CollectionName, unknown[]>
  for (const collection of COLLECTIONS) all[collection] = await store.find(collection, { order: 'oldest' })
  return all
}

function fingerprint(path: string): string {
  return readFileSync(path).toString('base64')
}

/** The history written as release 0.1.0 wrote it, and the same history in an in-memory store of this release. */
async function withReference(): Promise<{ databasePath: string; reference: TrackerStore }> {
  const databasePath = join(tempFolder(), 'tracker.lmdb')
  const { facts, imported } = history()
  await writeSchema1Database(databasePath, { facts, importedCommits: imported })
  const reference = createMemoryStore()
  await reference.applyFacts(facts)
  await reference.importRecords({ commits: imported })
  return { databasePath, reference }
}

describe('a database written by release 0.1.0 (schema 1)', () => {
  it('is upgraded in place on open: the same records, compact, indexed, with exact day rollups', async () => {
    const { databasePath, reference } = await withReference()

    const store = openLmdbStore({ databasePath })
    expect(await store.schemaVersion()).toBe(SCHEMA_VERSION)
    const upgraded = await everything(store)
    const expected = await everything(reference)
    for (const collection of COLLECTIONS) {
      if (collection === 'usage') continue
      expect(upgraded[collection], collection).toEqual(expected[collection])
    }
    // Rollups: the counts of 0.1.0's facts kept as their baseline; commits (imported ones too), bugs and grades recounted.
    const rollups = await store.find('usage', { order: 'oldest' })
    expect(rollups.map(({ baseline: _baseline, ...rest }) => rest)).toEqual(expected.usage)
    expect(rollups.every((rollup) => (rollup.baseline?.toolCalls ?? 0) === rollup.toolCalls && (rollup.baseline?.cost ?? 0) === rollup.cost)).toBe(true)
    expect(rollups.reduce((sum, rollup) => sum + rollup.commits, 0)).toBe(24 + 3)
    // The setup totals are built from them, one per setup with a rollup.
    expect(await checkRollups(store)).toMatchObject({ facts: 0, drift: [], setupTotals: new Set(rollups.map((rollup) => rollup.setup)).size })

    // Newest activities across setups come from the new time index.
    expect((await store.find('activities', { limit: 2 })).map((a) => a.task)).toEqual(['task 11', 'task 10'])
    expect((await store.find('commits', { project: API, limit: 1 }))[0]?.hash).toBe('ap11beef')
    expect((await store.findCommitRefs({ hashPrefix: 'imp' })).map((ref) => ref.hash)).toEqual(['imp2', 'imp1', 'imp0'])
    // Facts keep working after the upgrade, their ids claimed from now on.
    const later = createFactScript({ setup: SONNET, project: SHOP, start: '2026-03-01T00:00:00.000Z' })
    const call = later.toolCall()
    await store.applyFacts([call, call, later.commit('5a0c0ffee')])
    expect((await store.get('setups', [SONNET]))?.state.toolCalls).toBe(25)
    expect(await checkRollups(store)).toMatchObject({ facts: 2, drift: [] })
    await store.close()
  })

  it('leaves the search indexes to a build after the upgrade: the same prior art meanwhile, and once they are built', async () => {
    const { databasePath, reference } = await withReference()
    const expected = await priorArt(reference, { task: 'api work shop change' })
    expect(expected.patterns.length + expected.mistakes.length).toBeGreaterThan(2)

    const store = openLmdbStore({ databasePath })
    expect(store.searchIndexes()).toBe('building')
    expect(store.searchIndexBuild()).toMatchObject({ built: 0 })
    expect(await priorArt(store, { task: 'api work shop change' })).toEqual(expected)
    let progress = await store.continueSearchIndexBuild(10)
    expect(progress.done).toBe(false)
    while (!progress.done) progress = await store.continueSearchIndexBuild(10)
    expect(store.searchIndexes()).toBe('in step')
    expect(await priorArt(store, { task: 'api work shop change' })).toEqual(expected)
    await store.close()
  })

  it('stores records with shared structures afterwards, never with their field names inline', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await writeSchema1Database(databasePath, history())
    const raw = (): Buffer | undefined => {
      const root = open({ path: databasePath, noSubdir: true, maxDbs: 32, readOnly: true })
      const value = root.openDB({ name: SUB_DATABASES.setups, encoding: 'binary' }).getBinary([SONNET])
      void root.close()
      return value === undefined ? undefined : Buffer.from(value)
    }
    // msgpackr's inline record definition: an extension of type "r" (0x72), then the field names.
    const before = raw()
    expect(before?.subarray(0, 2)).toEqual(Buffer.from([0xd4, 0x72]))
    await openLmdbStore({ databasePath }).close()
    const after = raw()
    // A reference to a shared structure (0x40–0x7f), then the values alone.
    const first = after?.[0] ?? 0
    expect(first >= 0x40 && first < 0x80).toBe(true)
    expect(after?.length).toBeLessThan((before?.length ?? 0) / 2)
  })

  it('is upgraded once when two processes open it at the same time', { timeout: 60_000 }, async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    const { facts, imported } = history()
    await writeSchema1Database(databasePath, { facts, importedCommits: imported })
    const outputs = await Promise.all([0, 1].map(() => run(process.execPath, [openInChild, databasePath])))
    expect(outputs.map(({ stdout }) => JSON.parse(stdout) as unknown)).toEqual([{ opened: true, activities: 5 }, { opened: true, activities: 5 }])
    const store = openLmdbStore({ databasePath })
    expect((await store.find('usage')).reduce((sum, rollup) => sum + rollup.commits, 0)).toBe(27)
    expect(await checkRollups(store)).toMatchObject({ drift: [] })
    await store.close()
  })

  it('is upgraded by a read-only open too, unless upgrades are turned off: then it is refused and left as it was', async () => {
    const databasePath = join(tempFolder(), 'tracker.lmdb')
    await writeSchema1Database(databasePath, history())
    const before = fingerprint(databasePath)
    let refused: unknown
    try {
      openLmdbStore({ databasePath, readOnly: true, upgrade: false })
    } catch (error) {
      refused = error
    }
    expect(isLmdbStoreError(refused, 'DATABASE_NEEDS_UPGRADE')).toBe(true)
    expect((refused as { details: unknown }).details).toEqual({ path: databasePath, schemaVersion: 1, supportedVersion: SCHEMA_VERSION })
    expect(fingerprint(databasePath)).toBe(before)

    const reader = openLmdbStore({ databasePath, readOnly: true })
    expect(await reader.schemaVersion()).toBe(SCHEMA_VERSION)
    expect(await reader.find('activities', { limit: 1 })).toHaveLength(1)
    await reader.close()
  })
})
