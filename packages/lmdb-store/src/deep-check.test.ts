import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createFactScript } from '@agent-tracker/core/testing'
import { describe, expect, it } from 'vitest'
import { tempFolder } from '@agent-tracker/test-folders'
import { deepCheck } from './deep-check.js'
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
})
