import { describe, expect, it } from 'vitest'
import { GPT, SHOP, storeWithHistory } from '../../test/read-history.js'
import type { TrackerStore } from '../store/tracker-store.js'
import { leaderboard } from './leaderboard.js'
import { recommendByProfile } from './recommend.js'
import { groupedReport, setupReport, setupTrends } from './setup-report.js'
import { withSharedFinds } from './shared-finds.js'

/** The store, and each `find` it was asked, as collection and query. */
function countFinds(store: TrackerStore): { counted: TrackerStore; finds: string[] } {
  const finds: string[] = []
  const counted = new Proxy(store, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown
      if (name !== 'find' || typeof value !== 'function') return value
      return (...args: unknown[]) => {
        finds.push(JSON.stringify([args[0], args[1] ?? {}]))
        return (value as (...a: unknown[]) => unknown).apply(target, args)
      }
    },
  })
  return { counted, finds }
}

/** The HTML report's parts, all at once, as the export asks them. */
const parts = (store: TrackerStore): Promise<unknown[]> => Promise.all([
  setupReport(store, {}), setupTrends(store, { timeZone: 'UTC' }), leaderboard(store, {}), groupedReport(store, { by: 'project' }), recommendByProfile(store, {}, {}, {}),
])

describe('withSharedFinds', () => {
  it('reads each collection and query once for answers asked together, and they answer as they do alone', async () => {
    const alone = countFinds(await storeWithHistory())
    const expected = await parts(alone.counted)
    // Alone, the parts read the same setups and rollups again and again.
    expect(new Set(alone.finds).size).toBeLessThan(alone.finds.length)

    const together = countFinds(await storeWithHistory())
    expect(await parts(withSharedFinds(together.counted))).toEqual(expected)
    expect(together.finds.length).toBeGreaterThan(0)
    expect(together.finds).toEqual([...new Set(together.finds)])
    expect(new Set(together.finds)).toEqual(new Set(alone.finds))
  })

  it('gives every caller an array of its own, and a query that differs a read of its own', async () => {
    const { counted, finds } = countFinds(await storeWithHistory())
    const shared = withSharedFinds(counted)
    const first = await shared.find('setups')
    const count = first.length
    first.reverse().pop()
    expect(await shared.find('setups')).toHaveLength(count)
    expect(await shared.find('setups', {})).toHaveLength(count)
    expect(await shared.find('commits', { setup: GPT })).not.toEqual(await shared.find('commits', { project: SHOP }))
    expect(finds).toEqual([JSON.stringify(['setups', {}]), JSON.stringify(['commits', { setup: GPT }]), JSON.stringify(['commits', { project: SHOP }])])
  })

  it('runs the store\'s other methods on the store itself, which may keep private fields', async () => {
    class PrivateStore {
      readonly path = '/data/tracker'
      #last = 41
      lastFactSeq(): Promise<number> {
        return Promise.resolve(this.#last + 1)
      }
    }
    const shared = withSharedFinds(new PrivateStore() as unknown as TrackerStore & { path: string })
    expect(await shared.lastFactSeq()).toBe(42)
    expect(shared.path).toBe('/data/tracker')
  })
})
