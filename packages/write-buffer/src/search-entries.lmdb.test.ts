import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Fact, RecordQuery, TrackerStore } from '@agent-tracker/core'
import { priorArt } from '@agent-tracker/core'
import type { SearchedCollection } from '@agent-tracker/core/store'
import { SEARCHED_COLLECTIONS, searchDigest, searchEntryList } from '@agent-tracker/core/store'
import { createFactScript, createMemoryStore } from '@agent-tracker/core/testing'
import { openLmdbStore } from '@agent-tracker/lmdb-store'
import { afterEach, describe, expect, it } from 'vitest'
import type { WriteBuffer } from './write-buffer.js'
import { withWriteBuffer } from './write-buffer.js'

const SETUP = 'build@fake/m1'
const OTHER_SETUP = 'plan@fake/m2'
const SHOP = '/home/dev/shop'
const API = '/home/dev/api'
const hashOf = (n: number): string => `c0ffee${String(n)}`.padEnd(40, '0')

const folders: string[] = []
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true })
})

/** A buffer over an LMDB database in a folder of its own, that flushes only when told. */
function bufferedStore(): { store: TrackerStore; buffer: WriteBuffer } {
  const folder = mkdtempSync(join(tmpdir(), 'write-buffer-search-'))
  folders.push(folder)
  const store = openLmdbStore({ databasePath: join(folder, 'tracker.lmdb') })
  return { store, buffer: withWriteBuffer(store, { maxPending: false, maxAgeMs: false }) }
}

/** Stored work, ten minutes apart: commits with retrospectives, journal entries, bugs. */
function storedHistory(): Fact[] {
  const shop = createFactScript({ setup: SETUP, project: SHOP, start: '2026-03-01T09:00:00.000Z', stepMs: 10 * 60_000 })
  const facts: Fact[] = []
  for (let i = 0; i < 6; i++) {
    facts.push(shop.commit(hashOf(i), `stripe webhook retries, part ${String(i)}`), shop.activity(`retry flaky webhook test ${String(i)}`, i % 2 === 0 ? 'the build broke' : 'done'))
    facts.push(shop.retrospective(hashOf(i), { task: `webhook idempotency ${String(i)}`, agentNote: 'kept it small' }))
    if (i % 3 === 1) facts.push(shop.bug('user', `webhook retries broke ${String(i)}`, hashOf(i)))
  }
  return facts
}

/**
 * Pending work between and after the stored work (another setup, times that fall between stored
 * ones): a new commit, journal entry and bug; two journal entries of the same instant as a stored
 * one, of setups either side of its own in key order; a grade that changes a stored retrospective;
 * an amend that moves a stored commit and its retrospective to a new hash.
 */
function pendingWork(): Fact[] {
  const api = createFactScript({ setup: OTHER_SETUP, project: API, start: '2026-03-01T09:25:00.000Z', stepMs: 10 * 60_000 })
  const shop = createFactScript({ setup: SETUP, project: SHOP, start: '2026-03-01T12:05:00.000Z', stepMs: 60_000 })
  const sameInstant = (setup: string): Fact => createFactScript({ setup, project: API, start: '2026-03-01T09:10:00.000Z' }).activity(`webhook retries log of ${setup}`)
  return [
    sameInstant(OTHER_SETUP),
    sameInstant('ask@fake/m0'),
    api.commit('ab12cd34', 'stripe webhook signature check'),
    api.activity('webhook signature check', 'failed twice, then passed'),
    api.bug('user', 'signature check broke retries', 'ab12cd34'),
    shop.grade(hashOf(2), { by: 'user', userGrade: 5, userNote: 'excellent webhook retries' }),
    shop.amend(hashOf(9), hashOf(5), 'stripe webhook retries, part 5, amended'),
  ]
}

/** Search entries as a search reads them: key, time and words (a record's, or its digest's). */
async function searchable(store: TrackerStore, collection: SearchedCollection, query: RecordQuery = {}): Promise<unknown[]> {
  const entries = await searchEntryList(store, collection, query)
  return entries.map((entry) => ({ key: entry.key(), at: entry.at(), words: [...(entry.record === undefined ? entry.digest : searchDigest(collection, entry.record))] }))
}

describe('search entries through the write buffer over lmdb', () => {
  it('are the stored digests, no record read, when no pending fact changes a searched collection', async () => {
    const { store, buffer } = bufferedStore()
    await store.applyFacts(storedHistory())
    const shop = createFactScript({ setup: SETUP, project: SHOP, start: '2026-03-01T13:00:00.000Z' })
    buffer.append([shop.toolCall(), shop.toolCall('edit', false)])
    for (const collection of SEARCHED_COLLECTIONS) {
      const entries = await searchEntryList(buffer, collection)
      expect(entries.length, collection).toBeGreaterThan(0)
      expect(entries.map((entry) => entry.record), collection).toEqual(entries.map(() => undefined))
      expect(await searchable(buffer, collection), collection).toEqual(await searchable(store, collection))
    }
    await buffer.close()
  })

  it('lay pending records over the stored digests, as the store will hold them after the flush: new, changed and moved records, in time order', async () => {
    const { store, buffer } = bufferedStore()
    await store.applyFacts(storedHistory())
    buffer.append(pendingWork())
    const windows: RecordQuery[] = [{}, { limit: 3 }, { since: '2026-03-01T09:20:00.000Z', until: '2026-03-01T10:00:00.000Z' }, { until: '2026-03-01T09:30:00.000Z', limit: 2 }]
    const before = new Map<string, unknown[]>()
    for (const collection of SEARCHED_COLLECTIONS) for (const window of windows) before.set(`${collection} ${JSON.stringify(window)}`, await searchable(buffer, collection, window))
    expect(await buffer.flush()).toMatchObject({ errors: [] })
    for (const collection of SEARCHED_COLLECTIONS) for (const window of windows) expect(before.get(`${collection} ${JSON.stringify(window)}`), `${collection} ${JSON.stringify(window)}`).toEqual(await searchable(store, collection, window))
    // The amend moved commit 5 and its retrospective: the old keys are gone, the new ones there.
    expect((before.get('commits {}') ?? []).map((entry) => (entry as { key: string[] }).key[1])).toEqual(expect.arrayContaining([hashOf(9), 'ab12cd34']))
    expect((before.get('commits {}') ?? []).map((entry) => (entry as { key: string[] }).key[1])).not.toContain(hashOf(5))
    await buffer.close()
  })

  it('find the same prior art before a flush as after it, paused or not', async () => {
    const { store, buffer } = bufferedStore()
    await store.applyFacts(storedHistory())
    buffer.append(pendingWork())
    const tasks = ['stripe webhook retries', 'signature check broke', 'excellent webhook', 'kept small']
    const pending = await Promise.all(tasks.map((task) => priorArt(buffer, { task, project: SHOP })))
    const paused = await Promise.all(tasks.map((task) => priorArt(buffer, { task, project: SHOP }, { pause: () => undefined })))
    expect(await buffer.flush()).toMatchObject({ errors: [] })
    const flushed = await Promise.all(tasks.map((task) => priorArt(store, { task, project: SHOP })))
    expect(pending).toEqual(flushed)
    expect(paused).toEqual(flushed)
    // Pending work is among the hits: the new commit (a bug was reported against it), journal entry and graded retrospective.
    const titles = flushed.flatMap((answer) => [...answer.patterns, ...answer.mistakes].map((hit) => hit.title))
    expect(titles).toEqual(expect.arrayContaining(['stripe webhook signature check', 'webhook signature check', 'webhook idempotency 2']))
    await buffer.close()
  })

  it('are offered only over a store that keeps them: over any other, a search reads records', async () => {
    const { buffer } = bufferedStore()
    expect(buffer.visitSearchEntries).toBeTypeOf('function')
    expect(withWriteBuffer(createMemoryStore()).visitSearchEntries).toBeUndefined()
    await buffer.close()
  })
})
