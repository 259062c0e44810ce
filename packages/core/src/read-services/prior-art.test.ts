import { describe, expect, it } from 'vitest'
import { isTrackerError } from '../errors.js'
import type { CollectionName, CollectionRecords } from '../store/records.js'
import type { RecordQuery, TrackerStore } from '../store/tracker-store.js'
import type { SearchEntryVisitor, SearchedCollection } from '../projects/search-digest.js'
import { searchDigest } from '../projects/search-digest.js'
import { recordKey } from '../store/records.js'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { API, PYTHON_API, SHOP, WEB_APP, storeWithHistory } from '../../test/read-history.js'
import { priorArt } from './prior-art.js'

/** The store, with every `find` it answers written down. */
function recordingFinds(store: TrackerStore): { store: TrackerStore; finds: { collection: CollectionName; query: RecordQuery | undefined }[] } {
  const finds: { collection: CollectionName; query: RecordQuery | undefined }[] = []
  const find = <C extends CollectionName>(collection: C, query?: RecordQuery): Promise<CollectionRecords[C][]> => {
    finds.push({ collection, query })
    return store.find(collection, query)
  }
  return { store: { ...store, find }, finds }
}

/**
 * The store, keeping search digests as the LMDB store does: entries made from its records, newest
 * first, ties by key, each digest given in one buffer that the next overwrites, and spoilt after
 * the last (a search that kept one would read garbage).
 */
function withDigests(store: TrackerStore): TrackerStore {
  const visitSearchEntries = async (collection: SearchedCollection, query: RecordQuery, visit: SearchEntryVisitor): Promise<void> => {
    const { since, until, limit } = query
    const records = await store.find(collection, { ...(since === undefined ? {} : { since }), ...(until === undefined ? {} : { until }), ...(limit === undefined ? {} : { limit }), order: 'newest' })
    let buffer = new Uint8Array(64)
    for (const [index, record] of records.entries()) {
      const digest = searchDigest(collection, record)
      if (digest.length + 2 > buffer.length) {
        buffer.fill(0xff)
        buffer = new Uint8Array(2 * digest.length + 2)
      }
      // Every other digest two bytes in, as LMDB may place a value: its words are not 4-byte aligned.
      const start = 2 * (index % 2)
      buffer.set(digest, start)
      visit({ key: () => recordKey(collection, record), at: () => record.at }, buffer.subarray(start, start + digest.length))
    }
    buffer.fill(0xff)
  }
  return { ...store, visitSearchEntries }
}

describe('priorArt', () => {
  it('finds patterns and mistakes across projects, preferring the project’s stored scope', async () => {
    const store = await storeWithHistory()
    const answer = await priorArt(store, { task: 'payment webhooks', project: SHOP })
    expect(answer.scope).toBe('web-app')
    expect(answer.patterns.map((hit) => [hit.title, hit.scope])).toEqual([['Stripe payment webhooks', 'same']])
    expect(answer.mistakes.map((hit) => [hit.kind, hit.title, hit.scope])).toEqual([['bug', 'payment webhook retried twice', 'other']])
  })

  it('profiles folders through the injected profiler where no profile is stored, and only then', async () => {
    const store = await storeWithHistory()
    const asked: string[] = []
    const profileFolder = (path: string): typeof PYTHON_API | undefined => {
      asked.push(path)
      return path === API ? PYTHON_API : undefined
    }
    const stored = await priorArt(store, { task: 'payment webhook', project: API })
    expect(stored.scope).toBe('unknown')
    // Its scope unknown, the project's own work is still of its scope.
    expect(stored.mistakes.map((hit) => [hit.title, hit.project, hit.scope])).toEqual([['payment webhook retried twice', API, 'same']])
    const profiled = await priorArt(store, { task: 'payment webhook', project: API }, { profileFolder })
    expect(profiled.scope).toBe('api')
    expect(profiled.mistakes.map((hit) => [hit.title, hit.scope])).toEqual([['payment webhook retried twice', 'same']])
    // The project's scope, once: its hit is its own work, whose scope is not looked up again.
    expect(asked).toEqual([API])
    expect(await priorArt(store, { task: 'payment webhook', scope: WEB_APP.scope }, { profileFolder })).toMatchObject({ scope: 'web-app' })
  })

  it('searches a bounded number of the newest records of each kind, in the window', async () => {
    const { store, finds } = recordingFinds(await storeWithHistory())
    await priorArt(store, { task: 'shop change', limit: 2 })
    expect(finds.filter((find) => find.collection !== 'projects').map((find) => [find.collection, find.query?.limit])).toEqual([
      ['retrospectives', 2000], ['activities', 2000], ['commits', 2000], ['bugs', 2000],
    ])
    const titles = async (query: { depth?: number }): Promise<string[]> => {
      const answer = await priorArt(store, { task: 'change', limit: 20, ...query })
      return [...answer.patterns, ...answer.mistakes].map((hit) => hit.title)
    }
    expect(await titles({})).toContain('shop change 2')
    expect(await titles({ depth: 2 })).toEqual(expect.arrayContaining(['api change 3', 'api change 2']))
    expect((await titles({ depth: 2 })).filter((title) => title.startsWith('shop'))).toEqual([])
    const windowed = await priorArt(store, { task: 'change', since: '2026-03-09', limit: 10 })
    expect(windowed.patterns.every((hit) => hit.title.startsWith('api change'))).toBe(true)
  })

  it('returns at most `limit` of each, and rejects a bad limit or depth', async () => {
    const store = await storeWithHistory()
    expect((await priorArt(store, { task: 'shop change', limit: 2 })).patterns).toHaveLength(2)
    for (const query of [{ task: 'x', limit: -1 }, { task: 'x', depth: 1.5 }]) {
      const error = await priorArt(store, query).then(() => undefined, (caught: unknown) => caught)
      expect(isTrackerError(error, 'INVALID_QUERY')).toBe(true)
    }
  })

  it('gives the same answer a page and a slice at a time, pausing in between, when the host asks for pauses', async () => {
    const store = await storeWithHistory()
    let pauses = 0
    for (const query of [{ task: 'payment webhooks' }, { task: 'shop change', project: SHOP, depth: 3 }, { task: 'api change', since: '2026-03-09T09:02:00Z' }]) {
      const paused = await priorArt(store, query, { pause: () => { pauses += 1 } })
      expect(paused).toEqual(await priorArt(store, query))
    }
    expect(pauses).toBeGreaterThanOrEqual(3)
  })

  it('gives the same answer from search digests read a page at a time, pages ending between instants of several entries', async () => {
    const store = createMemoryStore()
    // 3 setups log at the same instants: 900 journal entries and 300 commits over 300 instants.
    const facts = ['build@fake/m1', 'plan@fake/m2', 'ask@fake/m3'].flatMap((setup, n) => {
      const script = createFactScript({ setup, project: n === 2 ? API : SHOP, start: '2026-04-01T00:00:00.000Z', stepMs: 0 })
      return Array.from({ length: 300 }, (_, i) => {
        const at = new Date(Date.parse('2026-04-01T00:00:00.000Z') + i * 1000).toISOString()
        return i % 3 === n ? [{ ...script.commit(`c${String(n)}${String(i).padStart(4, '0')}`, `webhook change ${String(i)}`), at }] : [{ ...script.activity(`webhook retries ${String(i)}`, i % 7 === 0 ? 'failed' : 'done'), at }]
      }).flat()
    })
    await store.applyFacts(facts)
    const digests = withDigests(store)
    let pauses = 0
    // The last has more terms than are compared in turn: they are looked up.
    const many = { task: 'webhook retries change failed done 100 101 102 103 104 200 201', limit: 30 }
    for (const query of [{ task: 'webhook retries', limit: 20 }, { task: 'webhook change', project: SHOP, limit: 20, depth: 400 }, { task: 'retries failed', since: '2026-04-01T00:01:00Z', limit: 30 }, many]) {
      const whole = await priorArt(store, query)
      expect(whole.patterns.length + whole.mistakes.length).toBeGreaterThan(10)
      expect(await priorArt(digests, query)).toEqual(whole)
      expect(await priorArt(digests, query, { pause: () => { pauses += 1 } })).toEqual(whole)
    }
    // Pages of 250 entries, and slices of headers and of documents.
    expect(pauses).toBeGreaterThan(10)
  })
})
