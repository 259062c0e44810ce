import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { deepCheck } from './deep-check.js'
import { NO_PAGE, readMeta, readNodes, readPageHeader, readTreeRecord } from './lmdb-format.js'
import { openLmdbStore } from './open-lmdb-store.js'

async function realDatabase(): Promise<string> {
  const databasePath = join(tempFolder(), 'real.lmdb')
  const store = openLmdbStore({ databasePath })
  const s = createFactScript({ setup: 'build@fake/m1', project: '/home/dev/app' })
  await store.applyFacts(Array.from({ length: 400 }, (_, i) => s.activity(`task ${String(i)} ${'x'.repeat(300)}`)))
  await store.applyFacts(Array.from({ length: 2000 }, () => s.toolCall()))
  await store.close()
  return databasePath
}

/** The leaf pages of a named sub-database, found from the newest meta page (4 KiB pages). */
function leaves(file: Buffer, name: string): number[] {
  const metas = [readMeta(file.subarray(0, 4096)), readMeta(file.subarray(4096, 8192))]
  const newest = metas[1] !== undefined && metas[0] !== undefined && metas[1].txnId > metas[0].txnId ? metas[1] : metas[0]
  const nodesOf = (pgno: bigint): ReturnType<typeof readNodes> => {
    const page = file.subarray(Number(pgno) * 4096, (Number(pgno) + 1) * 4096)
    return readNodes(page, readPageHeader(page))
  }
  const main = nodesOf(newest?.mainTree.root ?? NO_PAGE)
  if (typeof main === 'string') throw new Error(main)
  const record = main.find((node) => node.key.toString() === `${name}\0`)
  if (record === undefined) throw new Error(`no sub-database ${name}`)
  const found: number[] = []
  const walk = (pgno: bigint): void => {
    const nodes = nodesOf(pgno)
    if (typeof nodes === 'string') throw new Error(nodes)
    if ((readPageHeader(file.subarray(Number(pgno) * 4096)).flags & 0x01) === 0) found.push(Number(pgno))
    else for (const node of nodes) walk(node.page ?? NO_PAGE)
  }
  walk(readTreeRecord(record.data, 0).root)
  return found
}

describe('deepCheck', () => {
  it('finds an intact database intact, every tree read', async () => {
    const check = await deepCheck(await realDatabase())
    expect(check.intact).toBe(true)
    expect(check.trees.find((tree) => tree.name === 'activities')).toEqual({ name: 'activities', entries: 401 })
  })

  it('names the tree a page overwritten in the middle of the file belongs to, and survives', async () => {
    const path = await realDatabase()
    const file = readFileSync(path)
    // A page in use by some tree (free pages hold nothing to damage): the first from the middle that the check misses is free.
    let check = await deepCheck(path)
    for (let page = Math.floor(file.length / 4096 / 2); check.intact; page++) {
      const copy = Buffer.from(file)
      copy.fill(0xab, page * 4096, (page + 1) * 4096)
      writeFileSync(path, copy)
      check = await deepCheck(path)
    }
    const damaged = check.trees.filter((tree) => tree.problem !== undefined)
    expect(damaged.length, JSON.stringify(check)).toBeGreaterThan(0)
    expect(damaged[0]?.problem).toMatch(/page \d+ .* is damaged|outside the file|cannot be read|crashed the reader/)
  })

  it('names the index whose records a leaf with garbled keys no longer gives back, though every page and value reads', async () => {
    const path = await realDatabase()
    const file = readFileSync(path)
    const leaf = leaves(file, 'activities')[1] ?? 0
    const page = file.subarray(leaf * 4096, (leaf + 1) * 4096)
    const nodes = readNodes(page, readPageHeader(page))
    if (typeof nodes === 'string') throw new Error(nodes)
    // One byte of every key changed, in place (the keys are views of the file's bytes): the page stays sound.
    for (const node of nodes) node.key[node.key.length - 2] = (node.key[node.key.length - 2] ?? 0) ^ 0x5a
    writeFileSync(path, file)
    const check = await deepCheck(path)
    expect(check.intact).toBe(false)
    expect(check.trees.find((tree) => tree.name === 'activities')?.problem).toBeUndefined()
    expect(check.trees.find((tree) => tree.name === 'activities-by-time')?.problem).toMatch(new RegExp(`^it lists ${String(nodes.length)} of its 400 records that activities does not give back \\(the first: build@fake/m1 \\S+ \\S+\\)$`))
  })
})
