import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Fact, TrackerStore } from '@agent-tracker/core'
import { projectList, readRecommendation, setupReport } from '@agent-tracker/core'
import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { afterEach, describe, expect, it } from 'vitest'
import type { WriteBuffer } from './write-buffer.js'
import { withWriteBuffer } from './write-buffer.js'

const BUILD = 'build@fake/m1'
const PLAN = 'plan@fake/m2'
const SHOP = '/home/dev/shop'
const API = '/home/dev/api'
const hashOf = (n: number): string => `c0ffee${String(n).padStart(4, '0')}`.padEnd(40, '0')

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

/** A buffer over an LMDB database holding two setups' work in two projects, that flushes only when told. */
async function bufferedStore(): Promise<{ store: TrackerStore; buffer: WriteBuffer }> {
  const folder = mkdtempSync(join(tmpdir(), 'write-buffer-kept-'))
  folders.push(folder)
  const store = openLmdbStore({ databasePath: join(folder, 'tracker.lmdb') })
  const shop = createFactScript({ setup: BUILD, project: SHOP, start: '2026-03-01T09:00:00.000Z', stepMs: 6 * 3_600_000 })
  const api = createFactScript({ setup: PLAN, project: API, start: '2026-03-01T10:00:00.000Z', stepMs: 6 * 3_600_000 })
  const facts: Fact[] = []
  for (let i = 0; i < 6; i++) facts.push(shop.toolCall('bash'), shop.commit(hashOf(i), `shop change ${String(i)}`), api.toolCall('edit'), api.commit(hashOf(100 + i), `api change ${String(i)}`))
  await store.applyFacts(facts)
  return { store, buffer: withWriteBuffer(store, { maxPending: false, maxAgeMs: false }) }
}

/** A tool call, a commit and usage of the build setup in the shop, a day after the stored work. */
function pendingShopWork(): Fact[] {
  const shop = createFactScript({ setup: BUILD, project: SHOP, start: '2026-03-03T09:00:00.000Z', stepMs: 60_000 })
  return [shop.toolCall('bash'), shop.commit(hashOf(50), 'shop change after'), shop.usage({ input: 1000, output: 200 }, 0.02)]
}

describe('setup totals, project days and outcome days through the write buffer', () => {
  it('gives the stored ones while no pending fact changes a day rollup they add up', async () => {
    const { store, buffer } = await bufferedStore()
    const stored = await store.setupTotals?.()
    expect(stored?.map((totals) => [totals.setup, totals.commits])).toEqual([[BUILD, 6], [PLAN, 6]])
    expect(await buffer.setupTotals?.()).toEqual(stored)
    expect(await buffer.projectDays?.()).toEqual(await store.projectDays?.())
    expect(await buffer.projectDays?.(SHOP)).toEqual(await store.projectDays?.(SHOP))
    await buffer.close()
  })

  it('answers undefined where pending facts would move them, and the reads add up the rollups with the pending ones laid over', async () => {
    const { store, buffer } = await bufferedStore()
    await buffer.applyFacts(pendingShopWork())
    expect(await buffer.setupTotals?.()).toBeUndefined()
    expect(await buffer.projectDays?.(SHOP)).toBeUndefined()
    expect(await buffer.projectDays?.()).toBeUndefined()
    // Nothing pending in the api: its days are the stored ones.
    expect(await buffer.projectDays?.(API)).toEqual(await store.projectDays?.(API))
    const report = await setupReport(buffer)
    const projects = await projectList(buffer)
    expect(report.rows.find((row) => row.setup === BUILD)?.commits).toBe(7)
    await buffer.flush()
    // Flushed, the store's totals and days hold the same work, and serve again.
    expect(await buffer.setupTotals?.()).toEqual(await store.setupTotals?.())
    expect((await store.setupTotals?.())?.find((totals) => totals.setup === BUILD)?.commits).toBe(7)
    expect(await buffer.projectDays?.(SHOP)).toEqual(await store.projectDays?.(SHOP))
    expect(await setupReport(buffer)).toEqual(report)
    expect(await projectList(buffer)).toEqual(projects)
    await buffer.close()
  })

  it('gives the outcome days of the projects asked for unless pending facts change a rollup of theirs, and a recommendation reads the pending work either way', async () => {
    const { store, buffer } = await bufferedStore()
    expect(await buffer.outcomeDays?.()).toEqual(await store.outcomeDays?.())
    await buffer.applyFacts(pendingShopWork())
    expect(await buffer.outcomeDays?.([SHOP, API])).toBeUndefined()
    expect(await buffer.outcomeDays?.()).toBeUndefined()
    // Nothing pending in the api: its outcome days are the stored ones.
    expect(await buffer.outcomeDays?.([API])).toEqual(await store.outcomeDays?.([API]))
    const profile = { language: 'typescript', framework: 'react', scope: 'web-app', dependencies: [], sources: [], fingerprint: 'x', profiledAt: '2026-03-01T00:00:00.000Z' }
    await store.saveProjectProfile(SHOP, profile)
    const question = { project: '/home/dev/new-shop', profile }
    const pending = await readRecommendation(buffer, question)
    expect(pending.outcomes.find((outcome) => outcome.setup === BUILD)?.commitCount).toBe(7)
    await buffer.flush()
    expect(await buffer.outcomeDays?.([SHOP])).toEqual(await store.outcomeDays?.([SHOP]))
    expect(await readRecommendation(buffer, question)).toEqual(pending)
    await buffer.close()
  })

  it('is absent over a store that keeps neither', () => {
    const buffer = withWriteBuffer(createMemoryStore(), { maxPending: false, maxAgeMs: false })
    expect(buffer.setupTotals).toBeUndefined()
    expect(buffer.projectDays).toBeUndefined()
    expect(buffer.outcomeDays).toBeUndefined()
  })
})
