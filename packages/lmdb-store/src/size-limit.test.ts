import type { Database } from 'lmdb'
import { open } from 'lmdb'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { isLmdbStoreError } from './errors.js'
import { ensureRoomByPages } from './size-limit.js'

const MIB = 1024 * 1024

/** A real environment with one tree of `entries` entries, whose statistics calls are counted. */
function treeOf(entries: number): { root: ReturnType<typeof open>; tree: Database<unknown>; statsCalls: () => number } {
  const root = open({ path: `${tempFolder()}/size.lmdb`, noSubdir: true, maxDbs: 2, overlappingSync: false })
  const tree = root.openDB({ name: 'tree' })
  root.transactionSync(() => {
    for (let i = 0; i < entries; i++) tree.putSync(`key-${String(i).padStart(6, '0')}`, 'x'.repeat(100))
  })
  let calls = 0
  const getStats = tree.getStats.bind(tree)
  tree.getStats = () => {
    calls += 1
    return getStats()
  }
  return { root, tree, statsCalls: () => calls }
}

describe('the size check by pages', () => {
  it('asks no tree for its statistics when the batch fits even with every tree as deep as LMDB allows', async () => {
    const { root, tree, statsCalls } = treeOf(2000)
    ensureRoomByPages(root, 512 * MIB, '/db', [{ tree, entries: 300, bytes: 300 * 200 }])
    expect(statsCalls()).toBe(0)
    await root.close()
  })

  it('counts by each tree’s real depth and leaves near the limit: a batch that fits passes, one that does not is refused', async () => {
    const { root, tree, statsCalls } = treeOf(2000)
    const stats = root.getStats() as { pageSize: number; lastPageNumber: number }
    const used = (stats.lastPageNumber + 1) * stats.pageSize
    // Room for the real need of 10 small entries (a few pages), not for the worst case of 32 levels.
    const limit = used + 16 * stats.pageSize
    ensureRoomByPages(root, limit, '/db', [{ tree, entries: 10, bytes: 10 * 200 }])
    expect(statsCalls()).toBe(1)
    let failure: unknown
    try {
      ensureRoomByPages(root, limit, '/db', [{ tree, entries: 400, bytes: 400 * 200 }])
    } catch (error) {
      failure = error
    }
    expect(isLmdbStoreError(failure, 'DATABASE_FULL')).toBe(true)
    expect(statsCalls()).toBe(2)
    await root.close()
  })
})
