import { describe, expect, it } from 'vitest'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import type { DigestedEntry } from '../projects/search-digest.js'
import type { RecordQuery } from '../store/tracker-store.js'
import { pagesInTime, searchEntryPages } from './paged-reads.js'

describe('pagesInTime', () => {
  it('reads newest or oldest first, a page at a time, every record once, also across ties, up to the limit', async () => {
    const store = createMemoryStore()
    const tied = createFactScript({ setup: 'build@fake/m1', project: '/w/a', start: '2026-05-01T00:00:00.000Z', stepMs: 0 })
    const spread = createFactScript({ setup: 'plan@fake/m2', project: '/w/b', start: '2026-05-01T00:00:00.001Z', stepMs: 1 })
    await store.applyFacts([...Array.from({ length: 5 }, (_, i) => tied.activity(`tied ${String(i)}`)), ...Array.from({ length: 6 }, (_, i) => spread.activity(`spread ${String(i)}`))])
    for (const order of ['newest', 'oldest'] as const) {
      for (const limit of [undefined, 7, 3]) {
        const expected = (await store.find('activities', { order, ...(limit === undefined ? {} : { limit }) })).map((a) => a.task)
        // Pages smaller than the five tied records, as large, and larger than them all.
        for (const pageSize of [1, 2, 3, 5, 50]) {
          let pages = 0
          const read: string[] = []
          for await (const record of pagesInTime(store, 'activities', { order, ...(limit === undefined ? {} : { limit }) }, { pageSize, betweenPages: () => { pages += 1 } })) read.push(record.task)
          expect(read, `${order} ${String(limit)} pages of ${String(pageSize)}`).toEqual(expected)
          if (pageSize < (limit ?? 11)) expect(pages, `${order} ${String(limit)} pages of ${String(pageSize)}`).toBeGreaterThan(0)
        }
      }
    }
  })
})

describe('searchEntryPages', () => {
  /** Entries newest first as an index keeps them: instants of one, two, three and five entries (more than a page). */
  const sizes = [1, 3, 1, 5, 2, 1, 2, 1]
  const entries: DigestedEntry[] = sizes.flatMap((size, instant) => {
    const at = new Date(Date.parse('2026-05-01T00:00:00.000Z') - instant).toISOString()
    return Array.from({ length: size }, (_, n) => ({ digest: new Uint8Array(0), key: () => { throw new Error('a page read a key') }, at: () => at, n: `${String(instant)}.${String(n)}` }))
  })
  /** What a store gives for a window: its entries in `[since, until)`, at most the limit. */
  const read = (query: RecordQuery): Promise<DigestedEntry[]> => {
    const within = entries.filter((entry) => (query.since === undefined || entry.at() >= query.since) && (query.until === undefined || entry.at() < query.until))
    return Promise.resolve(query.limit === undefined ? within : within.slice(0, query.limit))
  }
  const windows: RecordQuery[] = [{}, { limit: 7 }, { limit: 4 }, { limit: 16 }, { since: '2026-04-30T23:59:59.995Z' }, { until: '2026-04-30T23:59:59.999Z', limit: 9 }, { limit: 0 }]

  it('gives, a page at a time, the entries one read gives, in its order, also when an instant goes on past a page or fills one', async () => {
    for (const pageSize of [1, 2, 3, 4, 50]) {
      for (const window of windows) {
        let pages = 0
        const paged: DigestedEntry[] = []
        for await (const entry of searchEntryPages(read, window, { pageSize, betweenPages: () => { pages += 1 } })) paged.push(entry)
        expect(paged, `${String(pageSize)} ${JSON.stringify(window)}`).toEqual(await read(window))
        if (pageSize < 4 && (window.limit ?? 99) > 4) expect(pages, `${String(pageSize)} ${JSON.stringify(window)}`).toBeGreaterThan(1)
      }
    }
  })
})
