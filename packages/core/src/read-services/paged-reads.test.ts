import { describe, expect, it } from 'vitest'
import { createFactScript } from '../testing/fact-script.js'
import { createMemoryStore } from '../testing/memory-store.js'
import { pagesInTime } from './paged-reads.js'

describe('pagesInTime', () => {
  it('reads newest or oldest first, a page at a time, every record once, also across ties, up to the limit', async () => {
    const store = createMemoryStore()
    const tied = createFactScript({ setup: 'build@fake/m1', project: '/w/a', start: '2026-05-01T00:00:00.000Z', stepMs: 0 })
    const spread = createFactScript({ setup: 'plan@fake/m2', project: '/w/b', start: '2026-05-01T00:00:00.001Z', stepMs: 1 })
    await store.applyFacts([...Array.from({ length: 5 }, (_, i) => tied.activity(`tied ${String(i)}`)), ...Array.from({ length: 6 }, (_, i) => spread.activity(`spread ${String(i)}`))])
    for (const order of ['newest', 'oldest'] as const) {
      for (const limit of [undefined, 7]) {
        const expected = (await store.find('activities', { order, ...(limit === undefined ? {} : { limit }) })).map((a) => a.task)
        let pages = 0
        const read: string[] = []
        for await (const record of pagesInTime(store, 'activities', { order, ...(limit === undefined ? {} : { limit }) }, { pageSize: 2, betweenPages: () => { pages += 1 } })) read.push(record.task)
        expect(read, `${order} ${String(limit)}`).toEqual(expected)
        expect(pages).toBeGreaterThan(1)
      }
    }
  })
})
